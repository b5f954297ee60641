package dev.shoal.pipeline.stream;

/** What a pipeline does with a request when its queue is full. */
public enum Overflow {
  /**
   * Skip it and count it as dropped ({@code queue_full}) when another pipeline took the request;
   * the client is refused only when every pipeline that wants the request is full. One slow backend
   * then never slows the others down. The default.
   */
  DROP,
  /**
   * Refuse the whole request with a retryable answer, even when other pipelines had room: the
   * client retries. The other pipelines give back the room they had reserved for it, so the retry
   * brings no duplicate.
   */
  REFUSE
}

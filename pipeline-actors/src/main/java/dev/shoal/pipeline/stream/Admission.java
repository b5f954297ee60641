package dev.shoal.pipeline.stream;

/** What a pipeline's queue answered to an offered request. */
public enum Admission {
  /** The request is in the queue: it may be acknowledged to the client. */
  ACCEPTED,
  /** The queue has no room: the client should retry later. */
  QUEUE_FULL,
  /** The pipeline is draining for a reload or a shutdown and takes nothing new. */
  CLOSED
}

package dev.shoal.pipeline.receiver;

/** A gRPC request body that is not exactly one well-formed length-prefixed message. */
final class MalformedFrameException extends RuntimeException {
  MalformedFrameException(String message) {
    super(message);
  }
}

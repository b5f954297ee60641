package dev.shoal.pipeline.output;

/** An output gave up on a batch: its items are lost, for the given reason. */
public final class ExportFailedException extends RuntimeException {
  private final DropReason reason;

  public ExportFailedException(DropReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public ExportFailedException(DropReason reason, String message) {
    this(reason, message, null);
  }

  public DropReason reason() {
    return reason;
  }
}

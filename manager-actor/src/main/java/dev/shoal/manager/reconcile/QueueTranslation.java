package dev.shoal.manager.reconcile;

import dev.shoal.pipeline.stream.Overflow;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Checks {@code spec.queue} and turns it into the queue's size and overflow behaviour. */
final class QueueTranslation {

  private final Findings findings;
  private final long defaultBytes;

  QueueTranslation(Findings findings, long defaultBytes) {
    this.findings = findings;
    this.defaultBytes = defaultBytes;
  }

  long bytes(Quantity bytes) {
    try {
      BigDecimal amount = Quantity.getAmountInBytes(bytes);
      long value = amount.setScale(0, RoundingMode.CEILING).longValueExact();
      if (value >= 1) return value;
    } catch (RuntimeException notAQuantity) {
      // reported below
    }
    findings.problem(
        Reason.VALIDATION_FAILED,
        "spec.queue.bytes: '"
            + bytes
            + "' is not a positive byte quantity; write e.g. 64Mi or 1Gi");
    return defaultBytes;
  }

  Overflow overflow(String overflow) {
    if (overflow == null) return Overflow.DROP;
    return switch (overflow) {
      case "drop" -> Overflow.DROP;
      case "refuse" -> Overflow.REFUSE;
      default -> {
        findings.problem(
            Reason.VALIDATION_FAILED,
            "spec.queue.overflow: '" + overflow + "' is not supported; use drop or refuse");
        yield Overflow.DROP;
      }
    };
  }
}

package dev.shoal.pipeline.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.shoal.pipeline.otlp.OtlpWire.ResourceSlice;
import java.util.List;
import java.util.function.Predicate;

/**
 * Keeps the resources of an encoded export request that pass a test on one of their attributes,
 * copying the kept resources' bytes as they are. The resources are found once ({@link #resources});
 * each pipeline then keeps its share ({@link #keep}).
 */
public final class ResourceFilter {
  private ResourceFilter() {}

  /**
   * The resources of a request with the value of their attribute {@code key}. The request was
   * checked when it was received, so this does not fail.
   */
  public static List<ResourceSlice> resources(ExportRequest request, String key) {
    try {
      return OtlpWire.resources(request.signal(), request.protobuf(), key);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("an accepted request no longer reads", e);
    }
  }

  /**
   * The request with only the resources whose attribute passes {@code test}: the request itself
   * when all pass, null when none does.
   */
  public static ExportRequest keep(
      ExportRequest request, List<ResourceSlice> resources, Predicate<String> test) {
    int keptBytes = 0;
    int keptItems = 0;
    int kept = 0;
    for (ResourceSlice r : resources) {
      if (test.test(r.attribute())) {
        kept++;
        keptBytes += r.length();
        keptItems += r.items();
      }
    }
    if (kept == resources.size() && keptBytes == request.protobuf().length) return request;
    if (kept == 0) return null;
    byte[] out = new byte[keptBytes];
    int at = 0;
    for (ResourceSlice r : resources) {
      if (test.test(r.attribute())) {
        System.arraycopy(request.protobuf(), r.offset(), out, at, r.length());
        at += r.length();
      }
    }
    return new ExportRequest(request.signal(), out, keptItems);
  }
}

package dev.shoal.pipeline.enrich;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.shoal.pipeline.otlp.ExportRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes enrichment on the wire: each resource of a request is associated with a pod of the
 * current {@link MetadataSnapshot} — by its {@code k8s.pod.uid}, else its {@code k8s.pod.ip}, else
 * the address the request came from — and gets the pod's attributes it does not have yet ({@link
 * PodAttributes}). Association never guesses: the first of those the resource has decides, and an
 * unknown UID or an IP that no pod or several pods have gives no association.
 *
 * <p>Only resources that gain attributes are re-encoded: their {@code Resource} message gets the
 * new {@code KeyValue}s appended (a {@code service.name} that names no service is replaced) and the
 * enclosing lengths are rewritten; the scopes and items are copied as they are. A request with
 * nothing to add is returned itself, uncopied.
 */
public final class PodEnrichment implements Enrichment {
  private static final int RESOURCES = 1;

  /** Field 1, length-delimited: a resource, its {@code Resource}, and an attribute alike. */
  private static final int RESOURCE_TAG = (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private static final int ATTRIBUTE_TAG = RESOURCE_TAG;
  private static final int VALUE_TAG = (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private final KubernetesMetadata metadata;
  private final EnrichmentSettings settings;

  public PodEnrichment(KubernetesMetadata metadata, EnrichmentSettings settings) {
    this.metadata = metadata;
    this.settings = settings;
  }

  @Override
  public ExportRequest enrich(ExportRequest request, InetAddress peer) {
    MetadataSnapshot snapshot = metadata.current();
    if (snapshot.pods() == 0) return request;
    try {
      return enrich(request, peer, snapshot);
    } catch (IOException e) {
      throw new IllegalStateException("an accepted request no longer reads", e);
    }
  }

  private ExportRequest enrich(ExportRequest request, InetAddress peer, MetadataSnapshot snapshot)
      throws IOException {
    byte[] bytes = request.protobuf();
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    List<Edit> edits = null;
    String peerIp = null;
    boolean peerRead = false;
    List<String> attributes = new ArrayList<>(32);
    while (true) {
      int fieldStart = in.getTotalBytesRead();
      int tag = in.readTag();
      if (tag == 0) break;
      if (WireFormat.getTagFieldNumber(tag) != RESOURCES
          || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        in.skipField(tag);
        continue;
      }
      int length = in.readRawVarint32();
      int contentStart = in.getTotalBytesRead();
      in.skipRawBytes(length);
      ResourceReading resource = ResourceReading.read(bytes, contentStart, contentStart + length);
      PodMetadata pod;
      if (resource.podUid != null) {
        pod = snapshot.podByUid(resource.podUid);
      } else if (resource.podIp != null) {
        pod = snapshot.podByIp(resource.podIp);
      } else if (settings.associateByPeerAddress() && peer != null) {
        if (!peerRead) {
          peerIp = IpAddresses.of(peer);
          peerRead = true;
        }
        pod = snapshot.podByIp(peerIp);
      } else {
        pod = null;
      }
      if (pod == null) continue;
      attributes.clear();
      PodAttributes.of(pod, snapshot, settings.clusterName(), attributes);
      Edit edit = edit(resource, attributes, fieldStart, contentStart, contentStart + length);
      if (edit == null) continue;
      if (edits == null) edits = new ArrayList<>(2);
      edits.add(edit);
    }
    if (edits == null) return request;
    return new ExportRequest(request.signal(), rewrite(bytes, edits), request.items());
  }

  /** What to change in one resource, or null when it has every attribute already. */
  private static Edit edit(
      ResourceReading resource, List<String> attributes, int fieldStart, int start, int end) {
    int size = 0;
    boolean replaceServiceName = false;
    for (int i = 0; i < attributes.size(); i += 2) {
      String key = attributes.get(i);
      if (key.equals(PodAttributes.SERVICE_NAME)) {
        if (resource.hasKey(key)) {
          if (!PodAttributes.replaceableServiceName(resource.serviceName)
              || resource.serviceNameRanges.isEmpty()) {
            attributes.set(i, null);
            continue;
          }
          replaceServiceName = true;
        }
      } else if (resource.hasKey(key)) {
        attributes.set(i, null);
        continue;
      }
      size +=
          CodedOutputStream.computeTagSize(1)
              + sizeWithLength(keyValueSize(key, attributes.get(i + 1)));
    }
    if (size == 0) return null;
    byte[] added = new byte[size];
    CodedOutputStream out = CodedOutputStream.newInstance(added);
    try {
      for (int i = 0; i < attributes.size(); i += 2) {
        String key = attributes.get(i);
        if (key == null) continue;
        String value = attributes.get(i + 1);
        out.writeUInt32NoTag(ATTRIBUTE_TAG);
        out.writeUInt32NoTag(keyValueSize(key, value));
        out.writeString(1, key);
        out.writeUInt32NoTag(VALUE_TAG);
        out.writeUInt32NoTag(CodedOutputStream.computeStringSize(1, value));
        out.writeString(1, value);
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("attribute size miscounted", e);
    }
    int[] dropped =
        replaceServiceName
            ? resource.serviceNameRanges.stream().mapToInt(Integer::intValue).toArray()
            : new int[0];
    return new Edit(
        fieldStart,
        start,
        end,
        resource.resourceFieldStart,
        resource.resourceContentStart,
        resource.resourceContentEnd,
        dropped,
        added);
  }

  private static int keyValueSize(String key, String value) {
    return CodedOutputStream.computeStringSize(1, key)
        + CodedOutputStream.computeTagSize(2)
        + sizeWithLength(CodedOutputStream.computeStringSize(1, value));
  }

  private static int sizeWithLength(int size) {
    return CodedOutputStream.computeUInt32SizeNoTag(size) + size;
  }

  /** The request with the edited resources re-encoded and everything else copied. */
  private static byte[] rewrite(byte[] bytes, List<Edit> edits) throws IOException {
    int total = bytes.length;
    for (Edit e : edits) total += e.newFieldSize() - (e.end - e.fieldStart);
    byte[] out = new byte[total];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    int at = 0;
    for (Edit e : edits) {
      o.writeRawBytes(bytes, at, e.fieldStart - at);
      o.writeUInt32NoTag(RESOURCE_TAG);
      o.writeUInt32NoTag(e.newContentSize());
      if (e.resourceFieldStart < 0) {
        o.writeRawBytes(bytes, e.start, e.end - e.start);
        o.writeUInt32NoTag(RESOURCE_TAG);
        o.writeUInt32NoTag(e.added.length);
        o.writeRawBytes(e.added);
      } else {
        o.writeRawBytes(bytes, e.start, e.resourceFieldStart - e.start);
        o.writeUInt32NoTag(RESOURCE_TAG);
        o.writeUInt32NoTag(e.newResourceSize());
        int from = e.resourceContentStart;
        for (int i = 0; i < e.dropped.length; i += 2) {
          o.writeRawBytes(bytes, from, e.dropped[i] - from);
          from = e.dropped[i + 1];
        }
        o.writeRawBytes(bytes, from, e.resourceContentEnd - from);
        o.writeRawBytes(e.added);
        o.writeRawBytes(bytes, e.resourceContentEnd, e.end - e.resourceContentEnd);
      }
      at = e.end;
    }
    o.writeRawBytes(bytes, at, bytes.length - at);
    o.checkNoSpaceLeft();
    return out;
  }

  /**
   * One resource to re-encode: its field ({@code fieldStart}, content {@code [start, end)}), its
   * {@code Resource} field (start -1 when it has none), the attribute ranges to drop (pairs) and
   * the encoded attributes to append.
   */
  private record Edit(
      int fieldStart,
      int start,
      int end,
      int resourceFieldStart,
      int resourceContentStart,
      int resourceContentEnd,
      int[] dropped,
      byte[] added) {

    int newResourceSize() {
      int size = resourceContentEnd - resourceContentStart + added.length;
      for (int i = 0; i < dropped.length; i += 2) size -= dropped[i + 1] - dropped[i];
      return size;
    }

    int newContentSize() {
      int content = end - start;
      if (resourceFieldStart < 0) return content + 1 + sizeWithLength(added.length);
      int oldField = resourceContentEnd - resourceFieldStart;
      return content - oldField + 1 + sizeWithLength(newResourceSize());
    }

    int newFieldSize() {
      return 1 + sizeWithLength(newContentSize());
    }
  }
}

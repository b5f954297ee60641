package dev.shoal.pipeline.durable;

import dev.shoal.pipeline.durable.DurableLog.Append;
import dev.shoal.pipeline.durable.DurableLog.Unacked;
import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.stream.Admission;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a log's writer thread: the only code that writes segment files and the only caller of
 * the pipeline's {@link Handoff}, so records enter the stream in the order the log tracks them.
 *
 * <p>Each turn it writes every request waiting (a group), syncs the file when the group must be
 * synced before acknowledgement ({@code fsync-interval = 0}) and then completes their futures; it
 * hands recovered records to the stream as room allows; and at most every {@code fsync-interval} it
 * syncs the newest segment, deletes the segments that are done and persists the acknowledged
 * offsets. Group commit: all requests that arrived while one write or sync ran share the next.
 */
final class LogWriter {
  private static final Logger log = LoggerFactory.getLogger(LogWriter.class);
  private static final int GROUP = 512;
  private static final int REPLAY_PER_TURN = 256;
  private static final long REFUSE_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long UPKEEP_WARNING_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final DurableLog owner;
  private final Handoff handoff;
  private final List<Segment> segments = new ArrayList<>();
  private final Deque<Segment> toReplay;
  private final List<Path> adoptedDirs;
  private final long intervalNanos;
  private long nextId = 1;
  private Segment active;
  private FileChannel channel;
  private boolean dirty;
  private long lastSync = System.nanoTime();
  private SegmentReader replayReader;
  private Segment replaying;
  private ExportRequest held;
  private long heldEnd;
  private long lastUpkeepWarning;

  LogWriter(DurableLog owner, Handoff handoff, List<Segment> recovered, List<Path> adoptedDirs) {
    this.owner = owner;
    this.handoff = handoff;
    this.segments.addAll(recovered);
    this.toReplay = new ArrayDeque<>(recovered);
    this.adoptedDirs = new ArrayList<>(adoptedDirs);
    this.intervalNanos = owner.settings.fsyncInterval().toNanos();
  }

  void run() {
    try {
      while (!(owner.stopping && owner.appends.isEmpty())) {
        Append first = owner.appends.poll(waitMillis(), TimeUnit.MILLISECONDS);
        if (first != null) writeGroup(first);
        replay();
        maintain(false);
      }
      maintain(true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      log.error("pipeline {}: the durable queue's writer stopped by a failure", owner.pipeline, e);
    } finally {
      closeQuietly();
      Append left;
      while ((left = owner.appends.poll()) != null) fail(left);
    }
  }

  private long waitMillis() {
    if (held != null) return 20;
    if (!toReplay.isEmpty() || replayReader != null) return 0;
    return Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(intervalNanos)));
  }

  private void writeGroup(Append first) {
    List<Append> group = new ArrayList<>(64);
    group.add(first);
    owner.appends.drainTo(group, GROUP - 1);
    List<Unacked> written = new ArrayList<>(group.size());
    int i = 0;
    try {
      for (; i < group.size(); i++) written.add(write(group.get(i).request()));
      if (intervalNanos == 0) sync();
    } catch (IOException e) {
      writeFailed(e, group.subList(i, group.size()));
      if (i < written.size()) written = written.subList(0, i);
    }
    for (int k = 0; k < written.size(); k++) handOn(group.get(k), written.get(k));
  }

  private Unacked write(ExportRequest request) throws IOException {
    long bytes = SegmentFormat.recordBytes(request.bytes());
    if (active == null
        || (active.size + bytes > owner.settings.segmentBytes()
            && active.size > SegmentFormat.HEADER_BYTES)) {
      roll();
    }
    long before = active.size;
    ByteBuffer[] record = {
      SegmentFormat.recordHeader(request.items(), request.protobuf()),
      ByteBuffer.wrap(request.protobuf())
    };
    try {
      long left = bytes;
      while (left > 0) left -= channel.write(record);
    } catch (IOException e) {
      // A record cut short would end the segment's valid part: take it out again.
      try {
        channel.truncate(before);
        channel.position(before);
      } catch (IOException ignored) {
        sealAfterFailure();
      }
      throw e;
    }
    active.size = before + bytes;
    dirty = true;
    return new Unacked(active, active.size);
  }

  private void handOn(Append append, Unacked record) {
    owner.unacked.addLast(record);
    Admission admission = handoff.enqueueWritten(append.request());
    // Not enqueued (the client is refused): the next acknowledged record of the segment covers it.
    if (admission != Admission.ACCEPTED) owner.unacked.removeLastOccurrence(record);
    append.done().complete(admission);
  }

  private void writeFailed(IOException e, List<Append> failed) {
    owner.refuseUntil = System.nanoTime() + REFUSE_AFTER_FAILURE_NANOS;
    owner.writeFailures.addAndGet(failed.size());
    log.warn(
        "pipeline {}: durable queue could not write {} requests to {} ({}); they are refused, and"
            + " new requests are refused for 1 s. Free space on the volume or raise its size",
        owner.pipeline,
        failed.size(),
        owner.runDir,
        e.toString());
    for (Append a : failed) fail(a);
  }

  private void fail(Append a) {
    owner.cancel(a.request().bytes());
    handoff.writeFailed(a.request());
    a.done().complete(Admission.QUEUE_FULL);
  }

  private void roll() throws IOException {
    if (active != null) seal();
    Path file = owner.runDir.resolve(Segment.fileName(nextId));
    FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      ByteBuffer header = SegmentFormat.header();
      while (header.hasRemaining()) c.write(header);
    } catch (IOException e) {
      c.close();
      Files.deleteIfExists(file);
      throw e;
    }
    syncDirectory(owner.runDir);
    active =
        new Segment(nextId++, file, SegmentFormat.HEADER_BYTES, SegmentFormat.HEADER_BYTES, false);
    channel = c;
    owner.diskBytes.addAndGet(SegmentFormat.HEADER_BYTES);
    segments.add(active);
  }

  private void seal() throws IOException {
    try {
      channel.force(false);
    } finally {
      channel.close();
      channel = null;
      active.sealed = true;
      active = null;
    }
  }

  private void sealAfterFailure() {
    try {
      seal();
    } catch (IOException ignored) {
      // The segment is sealed and closed; its valid records were read by checksums at next start.
    }
  }

  private void sync() throws IOException {
    if (channel != null && dirty) channel.force(false);
    dirty = false;
    lastSync = System.nanoTime();
  }

  /** Hands recovered records to the stream while it has room, a bounded number per turn. */
  private void replay() {
    for (int n = 0; n < REPLAY_PER_TURN; n++) {
      if (held == null && !readNextRecovered()) return;
      Unacked record = new Unacked(replaying, heldEnd);
      owner.unacked.addLast(record);
      Admission admission = handoff.offerRecovered(held);
      if (admission == Admission.ACCEPTED) {
        owner.replayedItems.addAndGet(held.items());
        held = null;
        continue;
      }
      owner.unacked.removeLastOccurrence(record);
      if (admission == Admission.CLOSED) stopReplay();
      return;
    }
  }

  private boolean readNextRecovered() {
    try {
      while (true) {
        if (replayReader == null) {
          replaying = toReplay.pollFirst();
          if (replaying == null) return false;
          replayReader = new SegmentReader(replaying.file, replaying.acked);
        }
        SegmentReader.Record r = replayReader.next();
        if (r != null) {
          held = new ExportRequest(owner.signal, r.payload(), r.items());
          heldEnd = r.end();
          return true;
        }
        replayReader.close();
        replayReader = null;
      }
    } catch (IOException e) {
      log.error(
          "pipeline {}: cannot read {} again; its records are left on disk",
          owner.pipeline,
          replaying,
          e);
      stopReplay();
      return false;
    }
  }

  private void stopReplay() {
    held = null;
    toReplay.clear();
    if (replayReader != null) {
      try {
        replayReader.close();
      } catch (IOException ignored) {
        // only read from
      }
      replayReader = null;
    }
  }

  /** Syncs, deletes segments that are done and records the acknowledged offsets. */
  private void maintain(boolean last) {
    long now = System.nanoTime();
    if (!last && now - lastSync < intervalNanos) return;
    try {
      sync();
      if (!owner.acksChanged && !last) return;
      owner.acksChanged = false;
      if (last && active != null && active.acked >= active.size) seal();
      boolean freed = false;
      for (Segment s : List.copyOf(segments)) {
        if (s.fullyAcked()) {
          Files.deleteIfExists(s.file);
          segments.remove(s);
          owner.diskBytes.addAndGet(-s.size);
          freed = true;
        }
      }
      // Space came back: a disk that was full may take writes again at once.
      if (freed) owner.refuseUntil = now;
      persistAcks(last);
    } catch (IOException e) {
      // Retried every interval; a full disk would otherwise fill the log too.
      if (now - lastUpkeepWarning > UPKEEP_WARNING_NANOS || lastUpkeepWarning == 0) {
        lastUpkeepWarning = now;
        log.warn(
            "pipeline {}: durable queue upkeep (sync, acknowledged offsets) failed: {}; retried"
                + " every fsync-interval, warned at most once a minute",
            owner.pipeline,
            e.toString());
      }
    }
  }

  private void persistAcks(boolean last) throws IOException {
    List<Path> dirs = new ArrayList<>(adoptedDirs);
    dirs.add(owner.runDir);
    for (Path dir : dirs) {
      List<Segment> inDir = segments.stream().filter(s -> s.file.getParent().equals(dir)).toList();
      boolean ownDirStillWritten = dir.equals(owner.runDir) && !last;
      if (inDir.isEmpty() && !ownDirStillWritten) {
        deleteFolder(dir);
        adoptedDirs.remove(dir);
        owner.released(dir);
      } else {
        AckFile.write(dir, inDir);
        if (last) owner.released(dir);
      }
    }
  }

  private void deleteFolder(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve(AckFile.NAME));
    Files.deleteIfExists(dir.resolve(AckFile.NAME + ".tmp"));
    // A folder that still holds quarantined files stays, for someone to look at.
    try (var left = Files.list(dir)) {
      if (left.findAny().isEmpty()) Files.deleteIfExists(dir);
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException ignored) {
      // Not every file system lets a folder be synced; the segment's data is synced anyway.
    }
  }

  private void closeQuietly() {
    try {
      if (channel != null) seal();
    } catch (IOException ignored) {
      // closing after the last sync
    }
    stopReplay();
  }
}

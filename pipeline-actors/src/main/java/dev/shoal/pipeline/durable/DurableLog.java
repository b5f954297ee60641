package dev.shoal.pipeline.durable;

import dev.shoal.pipeline.otlp.ExportRequest;
import dev.shoal.pipeline.otlp.Signal;
import dev.shoal.pipeline.stream.Admission;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable queue of one pipeline: a log of segment files on the node's volume that holds every
 * request the pipeline acknowledged until its batch was exported (or given up).
 *
 * <p>Receivers' threads reserve disk room ({@link #tryReserve}) and hand requests over ({@link
 * #append}); one writer thread of its own ({@link LogWriter}) writes them, hands each to the
 * pipeline's in-memory queue, and only then completes the request's future, so that a request is
 * acknowledged after its record is in the file. The stream reports finished requests in order
 * ({@link #acknowledge}); the log keeps, per segment, the offset up to which all records are done,
 * persists it, and deletes segments that are done. Records found on disk at start (of this
 * pipeline's earlier runs) are handed to the stream again while new requests flow: at-least-once.
 *
 * <p>Each run writes into a folder of its own ({@code <dir>/<pipeline>/<run>}), so a pipeline that
 * replaces one of the same name on a reload never shares files with the one still draining. A run
 * that closes with everything exported leaves nothing behind.
 */
public final class DurableLog {
  private static final Logger log = LoggerFactory.getLogger(DurableLog.class);

  /** Folders written by a log open in this process: never adopted by another one. */
  private static final Set<Path> IN_USE = ConcurrentHashMap.newKeySet();

  /** A request waiting for the writer thread. */
  record Append(ExportRequest request, CompletableFuture<Admission> done) {}

  /** A record in the stream: when it is done, its segment is done up to {@code end}. */
  record Unacked(Segment segment, long end) {}

  final String pipeline;
  final Signal signal;
  final DurableQueueSettings settings;
  final Path runDir;
  final LinkedBlockingQueue<Append> appends = new LinkedBlockingQueue<>();
  final ConcurrentLinkedDeque<Unacked> unacked = new ConcurrentLinkedDeque<>();

  /** Bytes of the segment files plus the bytes reserved for records not yet written. */
  final AtomicLong diskBytes = new AtomicLong();

  /** After a failed write, refuse until then (System.nanoTime), instead of failing each write. */
  volatile long refuseUntil;

  volatile boolean acksChanged;
  volatile boolean stopping;
  final AtomicLong writeFailures = new AtomicLong();
  final AtomicLong refusals = new AtomicLong();
  final AtomicLong replayedItems = new AtomicLong();
  final Recovery.Result recovered;
  private final List<Path> adoptedDirs;
  private LogWriter writer;
  private Thread thread;

  private DurableLog(
      String pipeline,
      Signal signal,
      DurableQueueSettings settings,
      Path runDir,
      Recovery.Result recovered,
      List<Path> adoptedDirs) {
    this.pipeline = pipeline;
    this.signal = signal;
    this.settings = settings;
    this.runDir = runDir;
    this.recovered = recovered;
    this.adoptedDirs = adoptedDirs;
  }

  /**
   * Opens the log of a pipeline: checks and repairs what earlier runs left (see {@link Recovery})
   * and creates this run's folder. Nothing is written until {@link #start}.
   */
  public static DurableLog open(String pipeline, Signal signal, DurableQueueSettings settings)
      throws IOException {
    Path base = Files.createDirectories(settings.dir().resolve(folderName(pipeline)));
    List<Path> earlier = new ArrayList<>();
    long lastRun = 0;
    try (Stream<Path> list = Files.list(base)) {
      for (Path p : list.sorted().toList()) {
        long run = runNumber(p);
        if (run < 0) continue;
        lastRun = Math.max(lastRun, run);
        if (!IN_USE.contains(p.toAbsolutePath())) earlier.add(p);
      }
    }
    Path runDir = base.resolve(String.format("%010d", lastRun + 1));
    while (!IN_USE.add(runDir.toAbsolutePath())) runDir = base.resolve(runDir.getFileName() + "x");
    Files.createDirectories(runDir);
    List<Segment> segments = new ArrayList<>();
    int quarantined = 0;
    int torn = 0;
    long cut = 0;
    try {
      for (Path dir : earlier) {
        IN_USE.add(dir.toAbsolutePath());
        Recovery.Result r = Recovery.recover(pipeline, dir);
        segments.addAll(r.segments());
        quarantined += r.quarantined();
        torn += r.tornTails();
        cut += r.cutBytes();
      }
    } catch (IOException | RuntimeException e) {
      // Nothing was adopted: a later attempt (the next start) may take these folders.
      earlier.forEach(dir -> IN_USE.remove(dir.toAbsolutePath()));
      IN_USE.remove(runDir.toAbsolutePath());
      throw e;
    }
    Recovery.Result all = new Recovery.Result(List.copyOf(segments), 1, quarantined, torn, cut);
    DurableLog opened = new DurableLog(pipeline, signal, settings, runDir, all, earlier);
    long onDisk = segments.stream().mapToLong(s -> s.size).sum();
    opened.diskBytes.set(onDisk);
    long left = segments.stream().mapToLong(s -> s.size - s.acked).sum();
    if (!segments.isEmpty() || quarantined > 0) {
      log.info(
          "pipeline {}: durable queue found {} segments with {} bytes not yet exported; they are"
              + " exported again ({} files quarantined, {} torn tails cut)",
          pipeline,
          segments.size(),
          left,
          quarantined,
          torn);
    }
    return opened;
  }

  /** Starts the writer thread, which hands records on to {@code handoff}. */
  public void start(Handoff handoff) {
    writer = new LogWriter(this, handoff, recovered.segments(), adoptedDirs);
    thread = new Thread(writer::run, "shoal-durable-queue-" + pipeline);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Reserves room on disk for a request; false when the log holds {@code max-bytes} already, or a
   * write failed a moment ago (a full disk). Follow with {@link #append} or {@link #cancel}.
   */
  public boolean tryReserve(long payloadBytes) {
    long bytes = SegmentFormat.recordBytes(payloadBytes);
    if (stopping || System.nanoTime() - refuseUntil < 0) return refused();
    while (true) {
      long now = diskBytes.get();
      if (now > 0 && now + bytes > settings.maxBytes()) return refused();
      if (diskBytes.compareAndSet(now, now + bytes)) return true;
    }
  }

  private boolean refused() {
    refusals.incrementAndGet();
    return false;
  }

  /** Gives back disk room reserved for a request that is not appended. */
  public void cancel(long payloadBytes) {
    diskBytes.addAndGet(-SegmentFormat.recordBytes(payloadBytes));
  }

  /**
   * Writes a request whose room was reserved, hands it to the pipeline's queue, and completes with
   * what that queue answered; {@link Admission#QUEUE_FULL} when the write failed.
   */
  public CompletableFuture<Admission> append(ExportRequest request) {
    CompletableFuture<Admission> done = new CompletableFuture<>();
    appends.add(new Append(request, done));
    return done;
  }

  /** The stream finished the exports of the next {@code requests} requests it was handed. */
  public void acknowledge(int requests) {
    for (int i = 0; i < requests; i++) {
      Unacked u = unacked.pollFirst();
      if (u == null) {
        log.error("pipeline {}: acknowledged more requests than the log handed out", pipeline);
        return;
      }
      u.segment().acked = u.end();
    }
    if (requests > 0) acksChanged = true;
  }

  /**
   * Writes what is pending, syncs, records what was acknowledged, deletes what is done and stops
   * the writer thread; waits for it at most {@code timeoutMillis}.
   */
  public void close(long timeoutMillis) {
    stopping = true;
    if (thread == null) {
      IN_USE.remove(runDir.toAbsolutePath());
      return;
    }
    try {
      thread.join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("pipeline {}: the durable queue's writer did not stop in time", pipeline);
    }
  }

  void released(Path dir) {
    IN_USE.remove(dir.toAbsolutePath());
  }

  /** Counters and levels of the log, for metrics and tests. */
  public Stats stats() {
    return new Stats(
        diskBytes.get(),
        settings.maxBytes(),
        writeFailures.get(),
        refusals.get(),
        recovered.quarantined(),
        recovered.tornTails(),
        replayedItems.get());
  }

  /**
   * @param bytes bytes on disk and reserved for records being written
   * @param maxBytes the bound of {@code bytes}
   * @param writeFailures requests whose record could not be written (a full disk)
   * @param refusals requests refused because the log was full or writes were failing
   * @param quarantined corrupt files moved or copied to {@code quarantine/} at start
   * @param tornTails segments whose torn last record was cut at start
   * @param replayedItems items found on disk at start and handed to the stream again
   */
  public record Stats(
      long bytes,
      long maxBytes,
      long writeFailures,
      long refusals,
      long quarantined,
      long tornTails,
      long replayedItems) {}

  static String folderName(String pipeline) {
    return pipeline.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static long runNumber(Path p) {
    String name = p.getFileName().toString();
    if (!Files.isDirectory(p) || !name.matches("[0-9]{10}x*")) return -1;
    return Long.parseLong(name.replace("x", ""));
  }
}

package dev.shoal.bench.load;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Sends the pool's requests to a target at a fixed rate of spans per second, or as fast as the
 * target answers, and counts what the target acknowledged, refused, or what failed.
 *
 * <p>One thread sends. With a rate, it wakes every {@value #TICK_MICROS} µs and sends as many
 * requests as a {@link TokenBucket} allows, so the rate follows the clock, not the scheduling of
 * the thread. Without a rate it sends whenever a request completes (closed loop). Either way at
 * most {@link Transport#maxInFlight()} requests are outstanding: memory stays bounded, and a slow
 * target shows as a lower achieved rate, never as a growing queue inside the generator.
 */
public final class LoadGenerator implements AutoCloseable {
  private static final long TICK_MICROS = 5_000;

  /**
   * Without a rate, a refused or failed request holds its slot this long, so that a target that
   * answers "no" at once does not turn the generator into a busy loop.
   */
  private static final long UNSUCCESSFUL_PAUSE_MILLIS = 50;

  /** The bucket holds at most this much time's worth of spans (or two requests). */
  private static final double BURST_SECONDS = 0.1;

  private final LoadSettings settings;
  private final RequestPool pool;
  private final Transport transport;
  private final Consumer<String> reports;
  private final ScheduledExecutorService sender;
  private final TokenBucket bucket;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean pumpRequested = new AtomicBoolean();
  private final LongAdder sentRequests = new LongAdder();
  private final LongAdder sentSpans = new LongAdder();
  private final LongAdder acknowledgedRequests = new LongAdder();
  private final LongAdder acknowledgedSpans = new LongAdder();
  private final LongAdder refusedRequests = new LongAdder();
  private final LongAdder refusedSpans = new LongAdder();
  private final LongAdder failedRequests = new LongAdder();
  private final LongAdder failedSpans = new LongAdder();
  private final long startNanos;
  private volatile boolean running = true;
  private volatile long stopNanos = Long.MAX_VALUE;
  private volatile String lastProblem = "";
  private LoadCounts lastReport;

  private LoadGenerator(
      LoadSettings settings, RequestPool pool, Transport transport, Consumer<String> reports) {
    this.settings = settings;
    this.pool = pool;
    this.transport = transport;
    this.reports = reports;
    this.maxInFlight = transport.maxInFlight();
    this.sender =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "shoal-load-sender");
              t.setDaemon(true);
              return t;
            });
    this.startNanos = System.nanoTime();
    double capacity = Math.max(2.0 * settings.spansPerRequest(), settings.rate() * BURST_SECONDS);
    this.bucket =
        settings.rate() > 0 ? new TokenBucket(settings.rate(), capacity, startNanos) : null;
  }

  /**
   * Starts sending to {@code settings.target()} until {@link #stop}. Reports progress to {@code
   * reports} every {@code settings.reportEvery()} (null: no reports). The system is used for HTTP.
   */
  public static LoadGenerator start(
      LoadSettings settings, RequestPool pool, ActorSystem<?> system, Consumer<String> reports) {
    Transport transport =
        settings.grpc() ? new GrpcTransport(settings) : new HttpTransport(settings, pool, system);
    return start(settings, pool, transport, reports);
  }

  static LoadGenerator start(
      LoadSettings settings, RequestPool pool, Transport transport, Consumer<String> reports) {
    LoadGenerator generator = new LoadGenerator(settings, pool, transport, reports);
    generator.begin();
    return generator;
  }

  private void begin() {
    lastReport = counts();
    if (bucket != null) {
      sender.scheduleAtFixedRate(this::pump, 0, TICK_MICROS, TimeUnit.MICROSECONDS);
    } else {
      sender.execute(this::pump);
    }
    if (reports != null) {
      long every = settings.reportEvery().toMillis();
      sender.scheduleAtFixedRate(this::report, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Sends while the bucket and the in-flight bound allow, at most {@code maxInFlight} requests per
   * call so that reports are not starved. Runs on the sender thread only.
   */
  private void pump() {
    long now = System.nanoTime();
    for (int sent = 0; running && sent < maxInFlight && inFlight.get() < maxInFlight; sent++) {
      if (bucket != null && !bucket.tryTake(settings.spansPerRequest(), now)) return;
      RequestPool.Payload payload = pool.next();
      inFlight.incrementAndGet();
      sentRequests.increment();
      sentSpans.add(payload.spans());
      CompletionStage<Transport.Outcome> outcome;
      try {
        outcome = transport.send(payload);
      } catch (RuntimeException e) {
        outcome = CompletableFuture.completedFuture(Transport.Outcome.failed(e.toString()));
      }
      outcome.whenComplete(
          (o, failure) ->
              completed(
                  payload, o != null ? o : Transport.Outcome.failed(String.valueOf(failure))));
    }
  }

  private void completed(RequestPool.Payload payload, Transport.Outcome outcome) {
    switch (outcome.result()) {
      case ACKNOWLEDGED -> {
        acknowledgedRequests.increment();
        acknowledgedSpans.add(payload.spans() - outcome.rejectedSpans());
        if (outcome.rejectedSpans() > 0) {
          failedSpans.add(outcome.rejectedSpans());
          lastProblem = outcome.detail();
        }
      }
      case REFUSED -> {
        refusedRequests.increment();
        refusedSpans.add(payload.spans());
        lastProblem = outcome.detail();
      }
      case FAILED -> {
        failedRequests.increment();
        failedSpans.add(payload.spans());
        lastProblem = outcome.detail();
      }
    }
    if (outcome.result() != Transport.Result.ACKNOWLEDGED && bucket == null && running) {
      try {
        sender.schedule(this::release, UNSUCCESSFUL_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        return;
      } catch (RejectedExecutionException stopping) {
        // fall through: release now
      }
    }
    release();
  }

  private void release() {
    inFlight.decrementAndGet();
    if (running && pumpRequested.compareAndSet(false, true)) {
      try {
        sender.execute(
            () -> {
              pumpRequested.set(false);
              pump();
            });
      } catch (RejectedExecutionException stopping) {
        pumpRequested.set(false);
      }
    }
  }

  private void report() {
    LoadCounts now = counts();
    LoadCounts interval = now.since(lastReport);
    lastReport = now;
    String target = settings.rate() > 0 ? String.format(" (target %,.0f)", settings.rate()) : "";
    String problem =
        interval.refusedRequests() + interval.failedRequests() > 0 ? "; last: " + lastProblem : "";
    reports.accept(
        String.format(
            "load %6.1fs: %,.0f spans/s acknowledged%s, refused %,d, failed %,d spans, in flight %d%s",
            now.seconds(),
            interval.acknowledgedRate(),
            target,
            interval.refusedSpans(),
            interval.failedSpans(),
            now.inFlight(),
            problem));
  }

  /** The counts so far; {@code seconds} stops advancing once the generator was stopped. */
  public LoadCounts counts() {
    long end = Math.min(System.nanoTime(), stopNanos);
    return new LoadCounts(
        (end - startNanos) / 1e9,
        sentRequests.sum(),
        sentSpans.sum(),
        acknowledgedRequests.sum(),
        acknowledgedSpans.sum(),
        refusedRequests.sum(),
        refusedSpans.sum(),
        failedRequests.sum(),
        failedSpans.sum(),
        inFlight.get());
  }

  /** The detail of the last refusal or failure, or "". */
  public String lastProblem() {
    return lastProblem;
  }

  /**
   * Stops sending, waits up to {@code drainTimeout} for the requests in flight, closes the
   * connections, and returns the final counts.
   */
  public LoadCounts stop(Duration drainTimeout) {
    if (running) {
      stopNanos = System.nanoTime();
      running = false;
    }
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    LoadCounts last = counts();
    sender.shutdownNow();
    transport.close();
    return last;
  }

  /** Sends for {@code settings.duration()}, then stops and returns the final counts. */
  public static LoadCounts runFor(
      LoadSettings settings, RequestPool pool, ActorSystem<?> system, Consumer<String> reports)
      throws InterruptedException {
    LoadGenerator generator = start(settings, pool, system, reports);
    try {
      TimeUnit.MILLISECONDS.sleep(settings.duration().toMillis());
    } catch (InterruptedException e) {
      generator.stop(Duration.ofSeconds(1));
      throw e;
    }
    return generator.stop(settings.timeout().plusSeconds(1));
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(1));
  }
}

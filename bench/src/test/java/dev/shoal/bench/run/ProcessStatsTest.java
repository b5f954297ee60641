package dev.shoal.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessStatsTest {

  @Test
  void cpuTicksAreUtimePlusStimeEvenWithParenthesesInTheName() {
    String stat =
        "4242 (java (shoal) x) S 1 4242 4242 0 -1 4194560 1234 0 0 0 1500 250 7 8 20 0 40 0"
            + " 123456 8000000000 50000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1";
    assertEquals(1750, ProcessStats.cpuTicks(stat));
  }

  @Test
  void statusValuesAreReadInKib() {
    String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  312456 kB\nVmRSS:\t  300000 kB\n";
    assertEquals(312456, ProcessStats.kib(status, "VmHWM"));
    assertEquals(300000, ProcessStats.kib(status, "VmRSS"));
  }

  @Test
  void measuresThisProcess() throws Exception {
    ProcessStats self =
        new ProcessStats(ProcessHandle.current().pid(), ProcessStats.clockTicksPerSecond());
    assertTrue(ProcessStats.clockTicksPerSecond() > 0);
    assertTrue(self.cpuSeconds() > 0);
    assertTrue(self.peakRssBytes() > 10L * 1024 * 1024);
    ProcessStats.JvmThreadsCpu threads = self.jvmThreadsCpu();
    assertTrue(threads.jitSeconds() > 0, "a JVM that ran tests has compiled something");
    assertTrue(threads.gcSeconds() >= 0);
  }

  @Test
  void jvmThreadsAreRecognisedByTheirNames() {
    assertTrue(ProcessStats.isJit("C2 CompilerThre"));
    assertTrue(ProcessStats.isJit("C1 CompilerThre"));
    assertTrue(ProcessStats.isGc("GC Thread#3"));
    assertTrue(ProcessStats.isGc("G1 Conc#0"));
    assertTrue(!ProcessStats.isJit("shoal-pekko.act") && !ProcessStats.isGc("shoal-pekko.act"));
  }
}

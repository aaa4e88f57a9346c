package dev.emporium.launcher;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Lowering a process that the launcher did not start (PostgreSQL's), with its children of the moment. */
class PriorityTest {

    @Test
    void aChildThatEndedBeforeItWasLoweredIsNoFailureAndTheRestAreLowered() throws Exception {
        Process running = new ProcessBuilder("sleep", "60").start();
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        try {
            int before = Priority.niceOf(running.pid()).orElseThrow();

            assertThat(new Priority(3).lower("a test process", running.pid(), List.of(running.pid(), ended.pid()))).isEmpty();

            assertThat(Priority.niceOf(running.pid())).hasValue(Math.min(19, before + 3));
        }
        finally {
            running.destroy();
        }
    }

    @Test
    void aProcessThatIsGoneIsReportedByName() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();

        assertThat(new Priority(3).lower("PostgreSQL", ended.pid(), List.of(ended.pid())))
            .hasValueSatisfying(problem -> assertThat(problem).contains("PostgreSQL", Long.toString(ended.pid())));
    }
}

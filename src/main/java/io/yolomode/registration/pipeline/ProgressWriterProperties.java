package io.yolomode.registration.pipeline;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The progress writer: the one thread and connection that commit the progress writes of
 * every run of this instance together.
 *
 * @param lockTimeout how long one of its statements waits for a job's row lock before it
 * fails (the run tries its write again, as after any transient database failure), so that
 * a lock held elsewhere on one job cannot hold the writes of all the others
 * @param statementTimeout how long one of its statements may run at all; its connection
 * also stops waiting for an answer a few seconds after this
 * @param queueWait how long a run's write waits for the writer to take it; after that the
 * run writes it itself on the main pool, so that a writer held up by one commit does not
 * hold every run
 */
@ConfigurationProperties("registration.progress-writer")
public record ProgressWriterProperties(@DefaultValue("2s") Duration lockTimeout,
        @DefaultValue("5s") Duration statementTimeout, @DefaultValue("1s") Duration queueWait) {
}

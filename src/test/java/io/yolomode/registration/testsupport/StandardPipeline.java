package io.yolomode.registration.testsupport;

import java.time.Duration;

import io.yolomode.registration.downstream.DownstreamProperties;
import io.yolomode.registration.pipeline.Pipeline;
import io.yolomode.registration.progress.ProgressDocuments;

import org.springframework.util.unit.DataSize;

/**
 * The standard pipeline with the documented defaults of {@code registration.downstream},
 * for tests without Spring.
 */
public final class StandardPipeline {

    /** The settings of {@code registration.downstream} when nothing is configured. */
    public static final DownstreamProperties DEFAULTS = new DownstreamProperties("http://localhost:3000", "",
            Duration.ofSeconds(5), 200, Duration.ofMinutes(10), null, 3, Duration.ofSeconds(2), 2,
            Duration.ofSeconds(60), Duration.ofMinutes(10), DataSize.ofKilobytes(16), Duration.ofSeconds(60), null);

    public static final Pipeline PIPELINE = Pipeline.standard(DEFAULTS);

    public static final ProgressDocuments DOCUMENTS = PIPELINE.documents();

    private StandardPipeline() {
    }

}

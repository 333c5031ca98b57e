package io.yolomode.registration.pipeline;

import io.yolomode.registration.downstream.DownstreamProperties;
import io.yolomode.registration.progress.ProgressDocuments;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The pipeline table as a bean, and the progress documents of its phases and sub-steps. A
 * test replaces the table with a {@code @Primary} one of its own.
 */
@Configuration(proxyBeanMethods = false)
class PipelineConfiguration {

    @Bean
    Pipeline pipeline(DownstreamProperties downstream) {
        return Pipeline.standard(downstream);
    }

    @Bean
    ProgressDocuments progressDocuments(Pipeline pipeline) {
        return pipeline.documents();
    }

}

package io.yolomode.registration.pipeline;

import io.yolomode.registration.job.ProgressDocument;
import io.yolomode.registration.job.ProgressLayout;

import org.springframework.stereotype.Component;

/**
 * Orders progress documents by the pipeline table.
 */
@Component
class PipelineProgressLayout implements ProgressLayout {

    @Override
    public ProgressDocument inPipelineOrder(ProgressDocument document) {
        return document == null ? null : ProgressDocuments.inPipelineOrder(document);
    }
}

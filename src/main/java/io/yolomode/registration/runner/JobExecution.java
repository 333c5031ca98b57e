package io.yolomode.registration.runner;

import io.yolomode.registration.job.ClaimedJob;
import io.yolomode.registration.pipeline.PipelineExecutor;
import lombok.extern.slf4j.Slf4j;
import org.slf4j.MDC;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;

/**
 * Runs a claimed job on the job pool, with its ids in the log context, and says when it is done.
 */
@Slf4j
@Component
class JobExecution {

    private final PipelineExecutor pipeline;

    JobExecution(PipelineExecutor pipeline) {
        this.pipeline = pipeline;
    }

    @Async("registrationJobExecutor")
    public void execute(ClaimedJob job, Runnable whenDone) {
        MDC.put("jobId", job.lease().jobId().toString());
        try {
            pipeline.run(job);
        }
        catch (RuntimeException ex) {
            log.error("Run of job {} stopped unexpectedly; its lease will expire and it will be taken over",
                    job.lease().jobId(), ex);
        }
        finally {
            MDC.clear();
            whenDone.run();
        }
    }
}

package io.yolomode.registration.runner;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.util.UUID;

import javax.sql.DataSource;

import io.yolomode.registration.queue.QueueConnections;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.util.StringUtils;

/**
 * The runner's connections (its own small pool for claims and renewals) and threads: one
 * pool for jobs (sized by {@code max-concurrent-jobs}), one for the downstream calls of
 * their phases, and one that writes the start of calls while they go on. All keep working
 * while the context closes, so that a graceful shutdown can drain them.
 */
@Configuration(proxyBeanMethods = false)
@EnableAsync
class RunnerConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    InstanceId instanceId(RunnerProperties properties) {
        if (StringUtils.hasText(properties.instanceId())) {
            return new InstanceId(properties.instanceId());
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (java.io.IOException ex) {
            host = "unknown-host";
        }
        return new InstanceId(host + ":" + ManagementFactory.getRuntimeMXBean().getPid() + ":"
                + UUID.randomUUID().toString().substring(0, 8));
    }

    /**
     * Claims and renewals get their own connections; closed with the context, after the
     * runner has stopped.
     */
    @Bean
    QueueConnections queueConnections(DataSource dataSource, RunnerProperties properties) {
        return new QueueConnections(dataSource, "registration-queue", properties.queuePoolSize(),
                properties.queuePoolTimeout(),
                new QueueConnections.Timeouts(properties.queueLockTimeout(), properties.queueStatementTimeout()));
    }

    @Bean
    ThreadPoolTaskExecutor registrationJobExecutor(RunnerProperties properties) {
        return pool("registration-job-", properties.maxConcurrentJobs());
    }

    @Bean
    ThreadPoolTaskExecutor registrationCallExecutor(RunnerProperties properties) {
        return pool("registration-call-", properties.maxConcurrentCalls());
    }

    /**
     * Writes the start of calls while the calls go on; a job has one write under way at a
     * time.
     */
    @Bean
    ThreadPoolTaskExecutor registrationWriteBehindExecutor(RunnerProperties properties) {
        return pool("registration-write-", properties.maxConcurrentJobs());
    }

    private static ThreadPoolTaskExecutor pool(String prefix, int size) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setThreadNamePrefix(prefix);
        executor.setCorePoolSize(size);
        executor.setMaxPoolSize(size);
        executor.setQueueCapacity(Integer.MAX_VALUE);
        executor.setAllowCoreThreadTimeOut(true);
        executor.setWaitForTasksToCompleteOnShutdown(false);
        executor.setAcceptTasksAfterContextClose(true);
        return executor;
    }

}

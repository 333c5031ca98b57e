package io.yolomode.registration.job;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A job's status: lower-case values in the API and the column, and which statuses are
 * active or terminal.
 */
class JobStatusRulesTest {

    @Test
    void statusesAreReadAndWrittenInLowerCase() {
        assertThat(JobStatus.of("in_progress")).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(JobStatus.CANCELLED.value()).isEqualTo("cancelled");
        assertThatThrownBy(() -> JobStatus.of("done")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("unknown job status done");

        JobStatus.JpaConverter converter = new JobStatus.JpaConverter();
        assertThat(converter.convertToDatabaseColumn(JobStatus.FAILED)).isEqualTo("failed");
        assertThat(converter.convertToDatabaseColumn(null)).isNull();
        assertThat(converter.convertToEntityAttribute("completed")).isEqualTo(JobStatus.COMPLETED);
        assertThat(converter.convertToEntityAttribute(null)).isNull();
    }

    @Test
    void onlyPendingAndInProgressJobsAreActive() {
        assertThat(JobStatus.ACTIVE).containsExactlyInAnyOrder(JobStatus.PENDING, JobStatus.IN_PROGRESS);
        for (JobStatus status : JobStatus.values()) {
            boolean active = status == JobStatus.PENDING || status == JobStatus.IN_PROGRESS;
            assertThat(status.isActive()).as(status.value()).isEqualTo(active);
            assertThat(status.isTerminal()).as(status.value()).isEqualTo(!active);
        }
    }

}

package io.yolomode.registration.query;

import java.util.List;

/**
 * A page of the job listing, newest first.
 */
public record JobPage(List<JobSummary> content, int page, int size, long totalElements, int totalPages) {
}

package io.yolomode.registration.job;

import java.util.Arrays;
import java.util.UUID;

/**
 * Progress ETags: the job and its version, which grows with every change, so an unchanged job answers 304.
 */
public final class JobETags {

    private JobETags() {
    }

    public static String of(UUID jobId, long version) {
        return "\"" + jobId + "-" + version + "\"";
    }

    /** Whether an If-None-Match header (a list, weak tags allowed) names the tag. */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(","))
                .map(String::trim)
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .anyMatch(tag -> tag.equals(etag) || tag.equals("*"));
    }
}

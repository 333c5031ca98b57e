package io.yolomode.registration.query;

import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import io.yolomode.registration.progress.StoredProgress;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Conditional progress answers. The ETag is the job and its version, which grows with
 * every change, so an unchanged job answers 304 after reading only its version.
 */
public final class JobETags {

    private JobETags() {
    }

    public static String of(UUID jobId, long version) {
        return "\"" + jobId + "-" + version + "\"";
    }

    /**
     * 304 when If-None-Match names the current tag, else the progress with its tag; empty
     * when there is no job.
     */
    public static Optional<ResponseEntity<StoredProgress>> answer(String ifNoneMatch,
            Supplier<Optional<String>> currentTag, Supplier<Optional<StoredProgress>> progress) {
        if (ifNoneMatch != null) {
            Optional<String> tag = currentTag.get();
            if (tag.isPresent() && matches(ifNoneMatch, tag.get())) {
                return Optional.of(ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(tag.get()).build());
            }
        }
        return progress.get().map(found -> ResponseEntity.ok().eTag(of(found.jobId(), found.version())).body(found));
    }

    /** 304 when If-None-Match names the answer's tag, else the answer with its tag. */
    public static ResponseEntity<StoredProgress> answer(String ifNoneMatch, String etag, StoredProgress progress) {
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        return ResponseEntity.ok().eTag(etag).body(progress);
    }

    /** 304 when If-None-Match names the kept answer's tag, else its JSON with its tag. */
    public static ResponseEntity<byte[]> answer(String ifNoneMatch, PollCache.Cached cached) {
        if (ifNoneMatch != null && matches(ifNoneMatch, cached.etag())) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(cached.etag()).build();
        }
        return ResponseEntity.ok().eTag(cached.etag()).contentType(MediaType.APPLICATION_JSON).body(cached.json());
    }

    /** Whether an If-None-Match header (a list, weak tags allowed) names the tag. */
    static boolean matches(String ifNoneMatch, String etag) {
        return Arrays.stream(ifNoneMatch.split(","))
            .map(String::trim)
            .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
            .anyMatch(tag -> tag.equals(etag) || tag.equals("*"));
    }

}

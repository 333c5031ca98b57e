package io.yolomode.registration.query;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The poll cache: the latest progress answer of recently read jobs, kept in memory.
 *
 * @param maxJobs jobs whose answer is kept at most; the least recently read one makes
 * room. Each costs about the size of its JSON answer (about 5 KiB once all twelve
 * sub-steps have run), so the default holds 10,000 open dialogs in some 50 MiB. 0 keeps
 * nothing: every poll reads the database.
 */
@ConfigurationProperties("registration.poll-cache")
public record PollCacheProperties(@DefaultValue("10000") int maxJobs) {

    public PollCacheProperties {
        if (maxJobs < 0) {
            throw new IllegalArgumentException("registration.poll-cache.max-jobs must be 0 or more, got " + maxJobs);
        }
    }
}

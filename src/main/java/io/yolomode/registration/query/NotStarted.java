package io.yolomode.registration.query;

import java.util.UUID;

/**
 * The progress answer for a restaurant that has never had a single-restaurant job.
 */
public record NotStarted(boolean success, UUID restaurantId, String status) {

    public static NotStarted of(UUID restaurantId) {
        return new NotStarted(true, restaurantId, "not_started");
    }
}

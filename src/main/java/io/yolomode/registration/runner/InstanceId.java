package io.yolomode.registration.runner;

/**
 * This instance's name as a lease owner.
 */
public record InstanceId(String value) {
}

package io.yolomode.registration.system;

import java.io.IOException;

/**
 * Thrown while reading a request body that grows past the configured limit without
 * announcing its length.
 */
class RequestBodyTooLargeException extends IOException {

    RequestBodyTooLargeException(long limit) {
        super("The request body is larger than " + limit + " bytes");
    }

}

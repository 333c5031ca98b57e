package io.yolomode.registration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The yolo-registration service: runs a restaurant's YOLO-mode registration pipeline in
 * the background and keeps its progress in PostgreSQL, so that the work outlives the
 * browser dialog, the page and the process.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class YoloRegistrationApplication {

    public static void main(String[] args) {
        SpringApplication.run(YoloRegistrationApplication.class, args);
    }

}

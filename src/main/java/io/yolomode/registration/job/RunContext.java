package io.yolomode.registration.job;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What earlier sub-steps hand to later ones within a run: codeGeneration's injection, and whether the onboarding
 * user and the menu import succeeded.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunContext(
        String codeInjectionId,
        Object generatedAt,
        List<String> filePaths,
        Boolean onboardingUserCreated,
        Boolean menuImportSucceeded) {

    public static RunContext empty() {
        return new RunContext(null, null, null, null, null);
    }
}

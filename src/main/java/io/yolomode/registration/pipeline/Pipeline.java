package io.yolomode.registration.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.yolomode.registration.downstream.DownstreamProperties;
import io.yolomode.registration.job.FormData;
import io.yolomode.registration.progress.ProgressDocuments;
import io.yolomode.registration.progress.ProgressLayout;
import io.yolomode.registration.progress.RunContext;
import org.jspecify.annotations.Nullable;

/**
 * The YOLO pipeline as data: phases and one row per sub-step, the table of docs/design.md
 * section 3, with each row's timeout, retry rule, rate limit and context contribution.
 * Nothing else in the code knows which sub-steps exist or what they send: the progress
 * documents, the runs, cancels and reads all take them from the {@code Pipeline} bean. A
 * pipeline checks its table when it is built: unique keys, every phase with rows, every
 * requirement an earlier row of the same or an earlier phase (so no cycles), positive
 * timeouts and attempts.
 */
public final class Pipeline {

    public record PhaseDefinition(String key, String description) {
    }

    /** The four phases of the standard pipeline. */
    public static final List<PhaseDefinition> STANDARD_PHASES = List.of(
            new PhaseDefinition("phase1", "Initial parallel operations"),
            new PhaseDefinition("phase2", "Restaurant registration and configuration"),
            new PhaseDefinition("phase3", "Option sets"), new PhaseDefinition("phase4", "Item tags"));

    private static final BiFunction<RunContext, Map<String, Object>, RunContext> KEEP = (context, result) -> context;

    private final List<PhaseDefinition> phases;

    private final List<SubStepDefinition> subSteps;

    private final Map<String, SubStepDefinition> byKey = new LinkedHashMap<>();

    private final ProgressDocuments documents;

    /**
     * A pipeline of the given phases and rows, in order.
     * @throws IllegalArgumentException when the table breaks one of its rules
     */
    public Pipeline(List<PhaseDefinition> phases, List<SubStepDefinition> subSteps) {
        this.phases = List.copyOf(phases);
        this.subSteps = List.copyOf(subSteps);
        check(this.phases, this.subSteps);
        this.subSteps.forEach(definition -> byKey.put(definition.key(), definition));
        this.documents = new ProgressDocuments(new ProgressLayout(this.phases.stream()
            .map(phase -> new ProgressLayout.Phase(phase.key(), phase.description(),
                    subStepsOf(phase.key()).stream().map(SubStepDefinition::key).toList()))
            .toList()));
    }

    /**
     * The twelve sub-steps of the YOLO registration, with the settings of
     * {@code registration.downstream}: each row's retry rule and timeout default to them,
     * cloudwaitressAccount's rate limit is {@code account-creation-min-interval}, and
     * {@code response-timeouts} and {@code min-intervals} override a row's own timeout
     * and rate limit by key.
     */
    public static Pipeline standard(DownstreamProperties downstream) {
        SubStepDefinition defaults = defaults(downstream);
        // One row a sub-step, a call's body as name/value pairs: kept as written.
        // @formatter:off
        List<SubStepDefinition> rows = List.of(
                row(defaults, "cloudwaitressAccount", "phase1", List.of(),
                        in -> Boolean.FALSE.equals(in.form().account().registerNewUser())
                                ? Optional.of("account.registerNewUser is false") : Optional.empty(),
                        in -> "/api/registration/register-account",
                        in -> body("restaurantId", in.restaurant().id(),
                                "email", in.form().account().email(),
                                "password", in.form().account().password(),
                                "phone", in.form().account().phone()),
                        KEEP).rateLimited(downstream.accountCreationMinInterval()),
                row(defaults, "codeGeneration", "phase1", List.of(),
                        in -> Optional.empty(),
                        in -> "/api/registration/generate-code-injections",
                        in -> body("restaurantId", in.restaurant().id(),
                                "noGradient", Boolean.TRUE.equals(in.form().website().disableGradients())),
                        (context, result) -> context.with("codeInjectionId", text(result.get("codeInjectionId")))
                                .with("generatedAt", result.get("generatedAt"))
                                .with("filePaths", textList(result.get("filePaths")))),
                row(defaults, "createOnboardingUser", "phase1", List.of(),
                        in -> Boolean.TRUE.equals(in.form().onboarding().createOnboardingUser())
                                ? Optional.empty() : Optional.of("onboarding.createOnboardingUser is not set"),
                        in -> "/api/registration/create-onboarding-user",
                        in -> body("restaurantId", in.restaurant().id(),
                                "userName", in.form().onboarding().userName(),
                                "userEmail", in.form().onboarding().userEmail(),
                                "userPassword", in.form().onboarding().userPassword()),
                        (context, result) -> context.with("onboardingUserCreated", true)),
                row(defaults, "uploadImages", "phase1", List.of(),
                        in -> in.form().menu().selectedMenuId() == null ? Optional.of("no menu selected")
                                : Boolean.TRUE.equals(in.form().menu().uploadImages()) ? Optional.empty()
                                        : Optional.of("menu.uploadImages is not set"),
                        in -> "/api/menus/" + in.form().menu().selectedMenuId() + "/upload-images",
                        in -> Map.of(),
                        KEEP),
                row(defaults, "restaurantRegistration", "phase2", List.of("cloudwaitressAccount"),
                        in -> Optional.empty(),
                        in -> "/api/registration/register-restaurant",
                        in -> body("restaurantId", in.restaurant().id(),
                                "registrationType", in.form().restaurant().registrationMode(),
                                "email", in.form().account().email(),
                                "password", in.form().account().password(),
                                "restaurantName", in.restaurant().name(),
                                "address", in.restaurant().address(),
                                "phone", in.restaurant().phone(),
                                "hours", in.restaurant().openingHours(),
                                "city", in.restaurant().city()),
                        KEEP),
                row(defaults, "websiteConfig", "phase2", List.of("codeGeneration", "restaurantRegistration"),
                        in -> Optional.empty(),
                        in -> "/api/registration/configure-website",
                        Pipeline::websitePayload,
                        KEEP),
                row(defaults, "servicesConfig", "phase2", List.of("restaurantRegistration"),
                        in -> Optional.empty(),
                        in -> "/api/registration/configure-services",
                        in -> body("restaurantId", in.restaurant().id()),
                        KEEP),
                row(defaults, "paymentConfig", "phase2", List.of("restaurantRegistration"),
                        in -> Optional.empty(),
                        in -> "/api/registration/configure-payment",
                        in -> body("restaurantId", in.restaurant().id(),
                                "includeConnectLink", Boolean.TRUE.equals(in.form().payment().includeStripeLink())),
                        KEEP),
                row(defaults, "menuImport", "phase2", List.of("restaurantRegistration"),
                        in -> in.form().menu().selectedMenuId() == null ? Optional.of("no menu selected")
                                : Optional.empty(),
                        in -> "/api/registration/import-menu-direct",
                        in -> body("restaurantId", in.restaurant().id(), "menuId", in.form().menu().selectedMenuId()),
                        (context, result) -> context.with("menuImportSucceeded", true)),
                row(defaults, "syncOnboardingUser", "phase2",
                        List.of("createOnboardingUser", "restaurantRegistration"),
                        in -> !Boolean.TRUE.equals(in.form().onboarding().syncOnboardingRecord())
                                ? Optional.of("onboarding.syncOnboardingRecord is not set")
                                : in.completed("createOnboardingUser") ? Optional.empty()
                                        : Optional.of("createOnboardingUser did not complete"),
                        in -> "/api/registration/update-onboarding-record",
                        in -> body("restaurantId", in.restaurant().id(),
                                "userEmail", in.form().onboarding().userEmail(),
                                "contactPerson", in.form().onboarding().userName()),
                        KEEP),
                row(defaults, "optionSets", "phase3", List.of("menuImport"),
                        in -> menuFollowUpSkipReason(in, in.form().menu().addOptionSets(), "menu.addOptionSets"),
                        in -> "/api/registration/add-option-sets",
                        in -> body("restaurantId", in.restaurant().id(), "menuId", in.form().menu().selectedMenuId()),
                        KEEP).withTimeout(Duration.ofMinutes(60)),
                row(defaults, "itemTags", "phase4", List.of("menuImport"),
                        in -> menuFollowUpSkipReason(in, in.form().menu().addItemTags(), "menu.addItemTags"),
                        in -> "/api/registration/add-item-tags",
                        in -> body("restaurantId", in.restaurant().id(), "menuId", in.form().menu().selectedMenuId()),
                        KEEP).withTimeout(Duration.ofMinutes(60)));
        // @formatter:on
        return new Pipeline(STANDARD_PHASES, rows.stream().map(row -> configured(row, downstream)).toList());
    }

    /**
     * This pipeline with one more row, after the rows of its phase and the phases before
     * it.
     */
    public Pipeline with(SubStepDefinition row) {
        List<SubStepDefinition> rows = new ArrayList<>();
        int phase = phaseIndex(row.phase());
        boolean added = false;
        for (SubStepDefinition existing : subSteps) {
            if (!added && phaseIndex(existing.phase()) > phase) {
                rows.add(row);
                added = true;
            }
            rows.add(existing);
        }
        if (!added) {
            rows.add(row);
        }
        return new Pipeline(phases, rows);
    }

    /**
     * A row with the settings every sub-step has unless it declares its own: the default
     * timeout, the retry rule of {@code registration.downstream}, and no rate limit.
     */
    public static SubStepDefinition row(SubStepDefinition defaults, String key, String phase, List<String> requires,
            Function<RunInput, Optional<String>> skipReason, Function<RunInput, String> path,
            Function<RunInput, Map<String, Object>> payload,
            BiFunction<RunContext, Map<String, Object>, RunContext> contextUpdate) {
        return new SubStepDefinition(key, phase, requires, skipReason, path, payload, contextUpdate, defaults.timeout(),
                defaults.retry(), defaults.minInterval());
    }

    /**
     * The template of {@link #row}: the settings of {@code registration.downstream} for a
     * sub-step.
     */
    public static SubStepDefinition defaults(DownstreamProperties downstream) {
        return new SubStepDefinition("", "", List.of(), in -> Optional.empty(), in -> "", in -> Map.of(), KEEP,
                downstream.responseTimeout(), RetryRule.of(downstream), Duration.ZERO);
    }

    /**
     * The row with the overrides of {@code response-timeouts} and {@code min-intervals}
     * for its key.
     */
    public static SubStepDefinition configured(SubStepDefinition row, DownstreamProperties downstream) {
        SubStepDefinition result = row;
        Duration timeout = downstream.responseTimeouts().get(row.key());
        if (timeout != null) {
            result = result.withTimeout(timeout);
        }
        Duration minInterval = downstream.minIntervals().get(row.key());
        if (minInterval != null) {
            result = result.rateLimited(minInterval);
        }
        return result;
    }

    public List<PhaseDefinition> phases() {
        return phases;
    }

    /** Every row, phase by phase, in pipeline order. */
    public List<SubStepDefinition> subSteps() {
        return subSteps;
    }

    public SubStepDefinition subStep(String key) {
        SubStepDefinition definition = byKey.get(key);
        if (definition == null) {
            throw new IllegalArgumentException("no sub-step " + key);
        }
        return definition;
    }

    public List<SubStepDefinition> subStepsOf(String phase) {
        return subSteps.stream().filter(definition -> definition.phase().equals(phase)).toList();
    }

    /** The progress documents of this pipeline's phases and sub-steps. */
    public ProgressDocuments documents() {
        return documents;
    }

    private int phaseIndex(String phase) {
        for (int i = 0; i < phases.size(); i++) {
            if (phases.get(i).key().equals(phase)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no phase " + phase);
    }

    private static void check(List<PhaseDefinition> phases, List<SubStepDefinition> subSteps) {
        Map<String, Integer> phaseIndex = new HashMap<>();
        for (PhaseDefinition phase : phases) {
            if (phaseIndex.put(phase.key(), phaseIndex.size()) != null) {
                throw new IllegalArgumentException("phase " + phase.key() + " appears twice");
            }
        }
        Map<String, Integer> earlier = new HashMap<>();
        int lastPhase = 0;
        for (SubStepDefinition row : subSteps) {
            Integer phase = phaseIndex.get(row.phase());
            if (phase == null) {
                throw new IllegalArgumentException(row.key() + " is in no phase of the pipeline: " + row.phase());
            }
            if (phase < lastPhase) {
                throw new IllegalArgumentException(row.key() + " comes after a row of a later phase");
            }
            lastPhase = phase;
            if (earlier.containsKey(row.key())) {
                throw new IllegalArgumentException("sub-step " + row.key() + " appears twice");
            }
            for (String required : row.requires()) {
                if (!earlier.containsKey(required)) {
                    throw new IllegalArgumentException(
                            row.key() + " requires " + required + ", which is not an earlier row");
                }
            }
            if (row.timeout().isZero() || row.timeout().isNegative()) {
                throw new IllegalArgumentException(row.key() + " has no positive timeout");
            }
            if (row.retry().maxAttempts() < 1) {
                throw new IllegalArgumentException(row.key() + " makes no call");
            }
            if (row.minInterval().isNegative()) {
                throw new IllegalArgumentException(row.key() + " has a negative rate limit");
            }
            earlier.put(row.key(), phase);
        }
        Set<String> phasesWithRows = new HashSet<>();
        subSteps.forEach(row -> phasesWithRows.add(row.phase()));
        for (PhaseDefinition phase : phases) {
            if (!phasesWithRows.contains(phase.key())) {
                throw new IllegalArgumentException("phase " + phase.key() + " has no sub-steps");
            }
        }
    }

    private static Optional<String> menuFollowUpSkipReason(RunInput in, Boolean wanted, String flag) {
        if (!Boolean.TRUE.equals(wanted)) {
            return Optional.of(flag + " is not set");
        }
        return in.completed("menuImport") ? Optional.empty() : Optional.of("menuImport did not run");
    }

    private static Map<String, Object> websitePayload(RunInput in) {
        FormData.Website website = in.form().website();
        Map<String, Object> header = body("enabled", website.headerEnabled(), "backgroundSource",
                website.headerBackgroundSource());
        Map<String, Object> items = body("layout", website.itemsLayout());
        Map<String, Object> textColors = body("navText", website.navTextColor(), "boxText", website.boxTextColor());
        return body("restaurantId", in.restaurant().id(), "codeInjectionId", in.context().text("codeInjectionId"),
                "headerConfig", header, "itemsConfig", items, "textColorConfig", textColors, "navLogoTintConfig",
                website.navLogoTintConfig(), "headerLogoTintConfig", website.headerLogoTintConfig());
    }

    /** A JSON object from name/value pairs, leaving out what the form did not say. */
    static Map<String, Object> body(Object... namesAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            if (value != null) {
                body.put((String) namesAndValues[i], value instanceof java.util.UUID ? value.toString() : value);
            }
        }
        return body;
    }

    private static @Nullable String text(@Nullable Object value) {
        return value == null ? null : value.toString();
    }

    private static @Nullable List<String> textList(@Nullable Object value) {
        if (value instanceof List<?> list) {
            List<String> texts = new ArrayList<>();
            list.forEach(item -> texts.add(String.valueOf(item)));
            return texts;
        }
        return null;
    }

}

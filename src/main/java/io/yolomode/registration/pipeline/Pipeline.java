package io.yolomode.registration.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import io.yolomode.registration.job.FormData;
import io.yolomode.registration.job.RunContext;

/**
 * The YOLO pipeline as data: four phases and twelve sub-steps, the table of DESIGN.md section 3. Nothing else in
 * the code knows which sub-steps exist or what they send.
 */
public final class Pipeline {

    public record PhaseDefinition(String key, String description) {
    }

    public static final List<PhaseDefinition> PHASES = List.of(
            new PhaseDefinition("phase1", "Initial parallel operations"),
            new PhaseDefinition("phase2", "Restaurant registration and configuration"),
            new PhaseDefinition("phase3", "Option sets"),
            new PhaseDefinition("phase4", "Item tags"));

    private static final BiFunction<RunContext, Map<String, Object>, RunContext> KEEP = (context, result) -> context;

    private static final boolean RATE_LIMITED = true;

    private static final boolean UNLIMITED = false;

    public static final List<SubStepDefinition> SUB_STEPS = List.of(
            new SubStepDefinition("cloudwaitressAccount", "phase1", List.of(),
                    in -> Boolean.FALSE.equals(in.form().account().registerNewUser())
                            ? Optional.of("account.registerNewUser is false") : Optional.empty(),
                    in -> "/api/registration/register-account",
                    in -> body("restaurantId", in.restaurant().id(),
                            "email", in.form().account().email(),
                            "password", in.form().account().password(),
                            "phone", in.form().account().phone()),
                    KEEP, RATE_LIMITED),
            new SubStepDefinition("codeGeneration", "phase1", List.of(),
                    in -> Optional.empty(),
                    in -> "/api/registration/generate-code-injections",
                    in -> body("restaurantId", in.restaurant().id(),
                            "noGradient", Boolean.TRUE.equals(in.form().website().disableGradients())),
                    (context, result) -> new RunContext(text(result.get("codeInjectionId")),
                            result.get("generatedAt"), textList(result.get("filePaths")),
                            context.onboardingUserCreated(), context.menuImportSucceeded()), UNLIMITED),
            new SubStepDefinition("createOnboardingUser", "phase1", List.of(),
                    in -> Boolean.TRUE.equals(in.form().onboarding().createOnboardingUser())
                            ? Optional.empty() : Optional.of("onboarding.createOnboardingUser is not set"),
                    in -> "/api/registration/create-onboarding-user",
                    in -> body("restaurantId", in.restaurant().id(),
                            "userName", in.form().onboarding().userName(),
                            "userEmail", in.form().onboarding().userEmail(),
                            "userPassword", in.form().onboarding().userPassword()),
                    (context, result) -> new RunContext(context.codeInjectionId(), context.generatedAt(),
                            context.filePaths(), true, context.menuImportSucceeded()), UNLIMITED),
            new SubStepDefinition("uploadImages", "phase1", List.of(),
                    in -> in.form().menu().selectedMenuId() == null ? Optional.of("no menu selected")
                            : Boolean.TRUE.equals(in.form().menu().uploadImages()) ? Optional.empty()
                                    : Optional.of("menu.uploadImages is not set"),
                    in -> "/api/menus/" + in.form().menu().selectedMenuId() + "/upload-images",
                    in -> Map.of(),
                    KEEP, UNLIMITED),
            new SubStepDefinition("restaurantRegistration", "phase2", List.of("cloudwaitressAccount"),
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
                    KEEP, UNLIMITED),
            new SubStepDefinition("websiteConfig", "phase2", List.of("codeGeneration", "restaurantRegistration"),
                    in -> Optional.empty(),
                    in -> "/api/registration/configure-website",
                    Pipeline::websitePayload,
                    KEEP, UNLIMITED),
            new SubStepDefinition("servicesConfig", "phase2", List.of("restaurantRegistration"),
                    in -> Optional.empty(),
                    in -> "/api/registration/configure-services",
                    in -> body("restaurantId", in.restaurant().id()),
                    KEEP, UNLIMITED),
            new SubStepDefinition("paymentConfig", "phase2", List.of("restaurantRegistration"),
                    in -> Optional.empty(),
                    in -> "/api/registration/configure-payment",
                    in -> body("restaurantId", in.restaurant().id(),
                            "includeConnectLink", Boolean.TRUE.equals(in.form().payment().includeStripeLink())),
                    KEEP, UNLIMITED),
            new SubStepDefinition("menuImport", "phase2", List.of("restaurantRegistration"),
                    in -> in.form().menu().selectedMenuId() == null ? Optional.of("no menu selected")
                            : Optional.empty(),
                    in -> "/api/registration/import-menu-direct",
                    in -> body("restaurantId", in.restaurant().id(), "menuId", in.form().menu().selectedMenuId()),
                    (context, result) -> new RunContext(context.codeInjectionId(), context.generatedAt(),
                            context.filePaths(), context.onboardingUserCreated(), true), UNLIMITED),
            new SubStepDefinition("syncOnboardingUser", "phase2",
                    List.of("createOnboardingUser", "restaurantRegistration"),
                    in -> !Boolean.TRUE.equals(in.form().onboarding().syncOnboardingRecord())
                            ? Optional.of("onboarding.syncOnboardingRecord is not set")
                            : in.completed("createOnboardingUser") ? Optional.empty()
                                    : Optional.of("createOnboardingUser did not complete"),
                    in -> "/api/registration/update-onboarding-record",
                    in -> body("restaurantId", in.restaurant().id(),
                            "userEmail", in.form().onboarding().userEmail(),
                            "contactPerson", in.form().onboarding().userName()),
                    KEEP, UNLIMITED),
            new SubStepDefinition("optionSets", "phase3", List.of("menuImport"),
                    in -> menuFollowUpSkipReason(in, in.form().menu().addOptionSets(), "menu.addOptionSets"),
                    in -> "/api/registration/add-option-sets",
                    in -> body("restaurantId", in.restaurant().id(), "menuId", in.form().menu().selectedMenuId()),
                    KEEP, UNLIMITED),
            new SubStepDefinition("itemTags", "phase4", List.of("menuImport"),
                    in -> menuFollowUpSkipReason(in, in.form().menu().addItemTags(), "menu.addItemTags"),
                    in -> "/api/registration/add-item-tags",
                    in -> body("restaurantId", in.restaurant().id(), "menuId", in.form().menu().selectedMenuId()),
                    KEEP, UNLIMITED));

    private static final Map<String, SubStepDefinition> BY_KEY = new LinkedHashMap<>();

    static {
        SUB_STEPS.forEach(definition -> BY_KEY.put(definition.key(), definition));
    }

    private Pipeline() {
    }

    public static SubStepDefinition subStep(String key) {
        SubStepDefinition definition = BY_KEY.get(key);
        if (definition == null) {
            throw new IllegalArgumentException("no sub-step " + key);
        }
        return definition;
    }

    public static List<SubStepDefinition> subStepsOf(String phase) {
        return SUB_STEPS.stream().filter(definition -> definition.phase().equals(phase)).toList();
    }

    private static Optional<String> menuFollowUpSkipReason(RunInput in, Boolean wanted, String flag) {
        if (!Boolean.TRUE.equals(wanted)) {
            return Optional.of(flag + " is not set");
        }
        return in.completed("menuImport") ? Optional.empty() : Optional.of("menuImport did not run");
    }

    private static Map<String, Object> websitePayload(RunInput in) {
        FormData.Website website = in.form().website();
        Map<String, Object> header = body("enabled", website.headerEnabled(),
                "backgroundSource", website.headerBackgroundSource());
        Map<String, Object> items = body("layout", website.itemsLayout());
        Map<String, Object> textColors = body("navText", website.navTextColor(), "boxText", website.boxTextColor());
        return body("restaurantId", in.restaurant().id(),
                "codeInjectionId", in.context().codeInjectionId(),
                "headerConfig", header,
                "itemsConfig", items,
                "textColorConfig", textColors,
                "navLogoTintConfig", website.navLogoTintConfig(),
                "headerLogoTintConfig", website.headerLogoTintConfig());
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

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static List<String> textList(Object value) {
        if (value instanceof List<?> list) {
            List<String> texts = new ArrayList<>();
            list.forEach(item -> texts.add(String.valueOf(item)));
            return texts;
        }
        return null;
    }

}

package io.yolomode.registration.job;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The dialog's formData, kept as the job's {@code execution_config}: six known sections
 * whose fields the pipeline reads, and whatever else the dialog sends, kept as it came.
 * Passwords never appear in {@code toString()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FormData(@Valid Account account, @Valid RestaurantDetails restaurant, @Valid Menu menu,
        @Valid Website website, @Valid Payment payment, @Valid Onboarding onboarding,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

    public FormData {
        account = account == null ? Account.EMPTY : account;
        restaurant = restaurant == null ? RestaurantDetails.EMPTY : restaurant;
        menu = menu == null ? Menu.EMPTY : menu;
        website = website == null ? Website.EMPTY : website;
        payment = payment == null ? Payment.EMPTY : payment;
        onboarding = onboarding == null ? Onboarding.EMPTY : onboarding;
        other = other == null ? new LinkedHashMap<>() : other;
    }

    public static FormData empty() {
        return new FormData(null, null, null, null, null, null, null);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Account(@Nullable Boolean registerNewUser, @Email @Size(max = 320) @Nullable String email,
            @Size(max = 200) @Nullable String password, @Size(max = 50) @Nullable String phone,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

        static final Account EMPTY = new Account(null, null, null, null, null);

        public Account {
            other = other == null ? new LinkedHashMap<>() : other;
        }

        @Override
        public String toString() {
            return "Account[registerNewUser=" + registerNewUser + ", email=" + email + ", password="
                    + (password == null ? null : "***") + ", phone=" + phone + "]";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RestaurantDetails(@Size(max = 50) @Nullable String registrationMode,
            @Size(max = 300) @Nullable String name, @Size(max = 500) @Nullable String address,
            @Size(max = 50) @Nullable String phone, @Size(max = 200) @Nullable String city,
            @JsonProperty("opening_hours") @Nullable Object openingHours,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

        static final RestaurantDetails EMPTY = new RestaurantDetails(null, null, null, null, null, null, null);

        public RestaurantDetails {
            other = other == null ? new LinkedHashMap<>() : other;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Menu(@Nullable UUID selectedMenuId, @Nullable Boolean uploadImages, @Nullable Boolean addOptionSets,
            @Nullable Boolean addItemTags, @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

        static final Menu EMPTY = new Menu(null, null, null, null, null);

        public Menu {
            other = other == null ? new LinkedHashMap<>() : other;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Website(@Nullable Boolean disableGradients, @Nullable Boolean headerEnabled,
            @Size(max = 100) @Nullable String headerBackgroundSource, @Size(max = 100) @Nullable String itemsLayout,
            @Size(max = 50) @Nullable String navTextColor, @Size(max = 50) @Nullable String boxTextColor,
            @Nullable Object navLogoTintConfig, @Nullable Object headerLogoTintConfig,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

        static final Website EMPTY = new Website(null, null, null, null, null, null, null, null, null);

        public Website {
            other = other == null ? new LinkedHashMap<>() : other;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Payment(@Nullable Boolean includeStripeLink,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

        static final Payment EMPTY = new Payment(null, null);

        public Payment {
            other = other == null ? new LinkedHashMap<>() : other;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Onboarding(@Nullable Boolean createOnboardingUser, @Nullable Boolean syncOnboardingRecord,
            @Size(max = 200) @Nullable String userName, @Email @Size(max = 320) @Nullable String userEmail,
            @Size(max = 200) @Nullable String userPassword, @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

        static final Onboarding EMPTY = new Onboarding(null, null, null, null, null, null);

        public Onboarding {
            other = other == null ? new LinkedHashMap<>() : other;
        }

        @Override
        public String toString() {
            return "Onboarding[createOnboardingUser=" + createOnboardingUser + ", syncOnboardingRecord="
                    + syncOnboardingRecord + ", userName=" + userName + ", userEmail=" + userEmail + ", userPassword="
                    + (userPassword == null ? null : "***") + "]";
        }
    }
}

package io.yolomode.registration.security;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The firewall's rule for header names and values answers as Spring Security's own
 * expression does.
 */
class HeaderFirewallTest {

    private static final Pattern FIREWALL = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

    @ParameterizedTest
    @MethodSource("headerTexts")
    void checksHeaderTextsAsTheStrictFirewallsExpressionDoes(String text) {
        assertThat(SecurityConfiguration.isAssignedAndNotControl(text)).isEqualTo(FIREWALL.matcher(text).matches());
    }

    static List<String> headerTexts() {
        return List.of("", "Bearer abc", "text/event-stream", "caf\u00e9", "emoji \uD83D\uDE00", "tab\there",
                "nul\u0000", "del\u007f", "c1\u0085", "unassigned\u0378", "private\uE000", "lone\uD800surrogate",
                "line\nbreak", "\u00a0no-break space", "zero\u200bwidth");
    }

}

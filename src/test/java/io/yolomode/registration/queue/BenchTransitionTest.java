package io.yolomode.registration.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench/transition.sql} is what pgbench measures as "the same write" as the
 * runner's: it must be the queue's progress write itself. The file lists, in lines
 * {@code -- :name -> value}, the value pgbench uses for each named parameter of the
 * statement (all but {@code :id}, which pgbench sets per transaction); with those put in,
 * the statement must be the file's, character for character.
 */
class BenchTransitionTest {

    private static final Path BENCH_FILE = Path.of("bench", "transition.sql");

    private static final Pattern SUBSTITUTION = Pattern.compile("^-- (:[A-Za-z]+) -> (.+)$");

    private static final Pattern PARAMETER = Pattern.compile("(?<!:):([A-Za-z][A-Za-z0-9_]*)");

    @Test
    void theBenchRunsTheRunnersProgressWrite() throws IOException {
        List<String> lines = Files.readAllLines(BENCH_FILE);
        Map<String, String> values = new LinkedHashMap<>();
        StringBuilder statement = new StringBuilder();
        for (String line : lines) {
            Matcher substitution = SUBSTITUTION.matcher(line);
            if (substitution.matches()) {
                values.put(substitution.group(1), substitution.group(2));
            }
            else if (!line.startsWith("--") && !line.startsWith("\\")) {
                statement.append(line).append('\n');
            }
        }
        String expected = withValues(JobQueue.PROGRESS_WRITE, values);

        assertThat(PARAMETER.matcher(expected).results().map(match -> match.group(1)).distinct())
            .as("parameters of the statement that the bench file gives no value")
            .containsExactly("id");
        assertThat(statement.toString().strip()).isEqualTo(expected.strip() + ";");
    }

    private static String withValues(String statement, Map<String, String> values) {
        String result = statement;
        for (Map.Entry<String, String> value : values.entrySet()) {
            result = result.replaceAll(Pattern.quote(value.getKey()) + "(?![A-Za-z0-9_])",
                    Matcher.quoteReplacement(value.getValue()));
        }
        return result;
    }

}

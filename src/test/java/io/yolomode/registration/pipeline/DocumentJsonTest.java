package io.yolomode.registration.pipeline;

import java.util.List;
import java.util.Map;

import io.yolomode.registration.progress.ProgressDocument;
import io.yolomode.registration.progress.ProgressDocuments;
import io.yolomode.registration.progress.ProgressLayout;
import io.yolomode.registration.progress.RunContext;
import io.yolomode.registration.progress.SubStepProgress;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's document JSON, which keeps each unchanged sub-step entry's JSON, is the JSON
 * the mapper writes for the whole document, write after write of one run.
 */
class DocumentJsonTest {

    private final JsonMapper mapper = JsonMapper.builder().build();

    private final ProgressDocuments documents = new ProgressDocuments(
            new ProgressLayout(List.of(new ProgressLayout.Phase("phase1", "Set up", List.of("a", "b")),
                    new ProgressLayout.Phase("phase2", "Configure \"quoted\"", List.of("c", "d")))));

    @Test
    void everyWriteOfARunIsTheMappersJsonOfTheWholeDocument() {
        DocumentJson json = new DocumentJson(mapper);
        ProgressDocument document = documents.initial();
        assertSameJson(json, document);

        List<Map.Entry<String, SubStepProgress>> transitions = List.of(
                Map.entry("a", SubStepProgress.started(1_000L, 1, "key-a")),
                Map.entry("a", SubStepProgress.completed(1_000L, 1_050L, 1, Map.of("id", "x-1", "ok", true))),
                Map.entry("b", SubStepProgress.started(1_100L)),
                Map.entry("b", SubStepProgress.retrying(1_100L, 2, "HTTP 503")),
                Map.entry("b", SubStepProgress.failed(1_100L, 1_300L, 2, "HTTP 400: bad \u00e9 \n input")),
                Map.entry("c", SubStepProgress.blocked(List.of("b"))),
                Map.entry("d", SubStepProgress.skipped(1_400L, "not requested")));
        for (Map.Entry<String, SubStepProgress> transition : transitions) {
            document = documents.withSubStep(document, transition.getKey(), transition.getValue());
            assertSameJson(json, document);
        }
        document = documents.withContext(document,
                RunContext.empty().with("codeInjectionId", "inj-7").with("filePaths", List.of("/a", "/b")));
        assertSameJson(json, document);
        assertSameJson(json, documents.cancelled(document, 2_000L));
        assertSameJson(json, documents.forRerun(document, false));
    }

    @Test
    void anEntryThatChangedIsWrittenAnewEvenWhenItsJsonWasKept() {
        DocumentJson json = new DocumentJson(mapper);
        ProgressDocument started = documents.withSubStep(documents.initial(), "a", SubStepProgress.started(5L));
        json.write(started);
        ProgressDocument done = documents.withSubStep(started, "a",
                SubStepProgress.completed(5L, 9L, 1, Map.of("answer", 42)));

        assertThat(mapper.readTree(json.write(done)).at("/phases/phase1/sub_steps/a/status").asString())
            .isEqualTo("completed");
        assertSameJson(json, done);
    }

    private void assertSameJson(DocumentJson json, ProgressDocument document) {
        assertThat(mapper.readTree(json.write(document)))
            .isEqualTo(mapper.readTree(mapper.writeValueAsString(document)));
    }

}

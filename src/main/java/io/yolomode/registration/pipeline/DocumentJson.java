package io.yolomode.registration.pipeline;

import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

import io.yolomode.registration.progress.PhaseProgress;
import io.yolomode.registration.progress.ProgressDocument;
import io.yolomode.registration.progress.SubStepProgress;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import org.jspecify.annotations.Nullable;

/**
 * The JSON of one run's progress documents, as the mapper writes them, keeping each
 * sub-step entry's JSON while the entry stays the same object: entries are immutable and
 * a write changes one or two of the twelve, so serialising the whole document on every
 * write (several KB, most of it the results of sub-steps long done) would redo the same
 * work again and again. One run's writes use it one at a time (under the run's write
 * lock).
 */
final class DocumentJson {

    private record Written(SubStepProgress entry, String json) {
    }

    private final JsonMapper mapper;

    private final Map<String, Written> subSteps = new HashMap<>();

    /**
     * The context last written and its JSON: it changes on a few sub-steps only, and
     * writing it through the mapper looks its serialiser up again every time.
     */
    private @Nullable Object context;

    private String contextJson = "null";

    DocumentJson(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The document's JSON, the same as {@code mapper.writeValueAsString(document)} as a
     * JSON value.
     */
    String write(ProgressDocument document) {
        if (document.phases() == null) {
            return mapper.writeValueAsString(document);
        }
        StringWriter json = new StringWriter(6 * 1024);
        try (JsonGenerator generator = mapper.createGenerator(json)) {
            generator.writeStartObject();
            generator.writeName("current_phase");
            generator.writeString(document.currentPhase());
            generator.writeName("phases");
            generator.writeStartObject();
            for (Map.Entry<String, PhaseProgress> phase : document.phases().entrySet()) {
                generator.writeName(phase.getKey());
                writePhase(generator, phase.getValue());
            }
            generator.writeEndObject();
            generator.writeName("context");
            generator.writeRawValue(contextJson(document.context()));
            generator.writeEndObject();
        }
        return json.toString();
    }

    private void writePhase(JsonGenerator generator, PhaseProgress phase) {
        if (phase == null || phase.subSteps() == null) {
            generator.writePOJO(phase);
            return;
        }
        generator.writeStartObject();
        generator.writeName("status");
        generator.writePOJO(phase.status());
        generator.writeName("description");
        generator.writeString(phase.description());
        generator.writeName("sub_steps");
        generator.writeStartObject();
        for (Map.Entry<String, SubStepProgress> subStep : phase.subSteps().entrySet()) {
            generator.writeName(subStep.getKey());
            generator.writeRawValue(subStepJson(subStep.getKey(), subStep.getValue()));
        }
        generator.writeEndObject();
        generator.writeEndObject();
    }

    private String contextJson(@Nullable Object current) {
        if (current != context || context == null) {
            contextJson = mapper.writeValueAsString(current);
            context = current;
        }
        return contextJson;
    }

    private String subStepJson(String key, SubStepProgress entry) {
        Written written = subSteps.get(key);
        if (written == null || written.entry() != entry) {
            written = new Written(entry, mapper.writeValueAsString(entry));
            subSteps.put(key, written);
        }
        return written.json();
    }

}

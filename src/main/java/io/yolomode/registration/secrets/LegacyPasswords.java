package io.yolomode.registration.secrets;

import java.util.List;
import java.util.UUID;

import io.yolomode.registration.job.FormData;
import lombok.extern.slf4j.Slf4j;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Seals, at start-up, the passwords that unfinished jobs stored in clear before sealing
 * existed (completed jobs' were erased by migration V6). Each row is replaced only if it
 * is still as read, so a run that erased a password meanwhile is never undone; any
 * instance may do it, and doing it twice changes nothing.
 */
@Slf4j
@Component
class LegacyPasswords implements ApplicationRunner {

    private static final int BATCH = 500;

    private final JdbcClient jdbc;

    private final JsonMapper jsonMapper;

    private final FormSecrets secrets;

    LegacyPasswords(JdbcClient jdbc, JsonMapper jsonMapper, FormSecrets secrets) {
        this.jdbc = jdbc;
        this.jsonMapper = jsonMapper;
        this.secrets = secrets;
    }

    @Override
    public void run(ApplicationArguments args) {
        int sealed = 0;
        // The smallest uuid in PostgreSQL's order, which compares bytes unsigned (Java's
        // compareTo does not).
        UUID after = new UUID(0L, 0L);
        while (true) {
            List<Row> rows = jdbc.sql("""
                    select id, execution_config::text as form from registration_jobs
                    where id > ? and status <> 'completed'
                      and (execution_config #>> '{account,password}' not like 'enc:v1:%'
                           or execution_config #>> '{onboarding,userPassword}' not like 'enc:v1:%')
                    order by id limit ?""")
                .params(after, BATCH)
                .query((rs, row) -> new Row(rs.getObject("id", UUID.class), rs.getString("form")))
                .list();
            for (Row row : rows) {
                FormData form = jsonMapper.readValue(row.form(), FormData.class);
                sealed += jdbc.sql("""
                        update registration_jobs set execution_config = cast(? as jsonb)
                        where id = ? and execution_config = cast(? as jsonb)""")
                    .params(jsonMapper.writeValueAsString(secrets.reseal(row.id(), form)), row.id(), row.form())
                    .update();
                after = row.id();
            }
            if (rows.size() < BATCH) {
                break;
            }
        }
        if (sealed > 0) {
            log.info("Sealed the passwords that {} jobs kept in clear from before sealing", sealed);
        }
    }

    private record Row(UUID id, String form) {
    }

}

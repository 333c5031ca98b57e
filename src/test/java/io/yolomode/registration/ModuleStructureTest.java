package io.yolomode.registration;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

class ModuleStructureTest {

    @Test
    void modulesHaveNoCyclesAndUseOnlyWhatTheyMay() {
        ApplicationModules modules = ApplicationModules.of(YoloRegistrationApplication.class);
        System.out.println(modules);
        modules.verify();
    }

}

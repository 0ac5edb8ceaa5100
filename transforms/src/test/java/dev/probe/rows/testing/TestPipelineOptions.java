package dev.probe.rows.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The pipeline options {@link TestPipelineExtension} builds a test class's pipelines from, as
 * command-line arguments (e.g. {@code --runner=FlinkRunner}); without it, {@code TestPipeline}'s
 * own defaults.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TestPipelineOptions {
  String[] value();
}

package dev.probe.rows.testing;

import java.lang.reflect.Method;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * Beam 2.62's {@link TestPipeline} is a JUnit 4 rule; this runs each JUnit 5 test inside it, so its
 * checks (a run happened, no abandoned transforms) still apply. Tests take the pipeline as a
 * parameter; a class's {@link TestPipelineOptions} choose its runner.
 */
public final class TestPipelineExtension implements ParameterResolver, InvocationInterceptor {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TestPipelineExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestPipeline.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return pipeline(context);
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    runInsideRule(invocation, context);
  }

  @Override
  public void interceptTestTemplateMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    runInsideRule(invocation, context);
  }

  private static void runInsideRule(Invocation<Void> invocation, ExtensionContext context)
      throws Throwable {
    Statement test =
        new Statement() {
          @Override
          public void evaluate() throws Throwable {
            invocation.proceed();
          }
        };
    Description description =
        Description.createTestDescription(
            context.getRequiredTestClass(), context.getRequiredTestMethod().getName());
    pipeline(context).apply(test, description).evaluate();
  }

  private static TestPipeline pipeline(ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("pipeline", key -> create(context), TestPipeline.class);
  }

  private static TestPipeline create(ExtensionContext context) {
    TestPipelineOptions options =
        context.getRequiredTestClass().getAnnotation(TestPipelineOptions.class);
    return options == null
        ? TestPipeline.create()
        : TestPipeline.fromOptions(PipelineOptionsFactory.fromArgs(options.value()).create());
  }
}

package dev.probe.rows;

import java.io.Serializable;

/**
 * How a worker fails on an {@link InvalidInputException}: the input is at fault, so no retry can
 * succeed. Runners are told that in their own ways (Flink by an annotation on the exception's
 * class); the module that brings the runner supplies the way, and the library throws what it is
 * given, keeping the input error as the cause.
 */
public interface DataErrors extends Serializable {
  /** The input error itself: for runners that cannot be told, or that retry nothing. */
  DataErrors AS_THROWN = error -> error;

  /** What the worker throws for {@code error}. */
  RuntimeException raise(InvalidInputException error);
}

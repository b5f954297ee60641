package dev.shoal.manager.folder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** YAML and mapping failures as short messages for people who edit the files, not for Java. */
final class ParseProblemText {

  private ParseProblemText() {}

  /** A mapping failure as "field.path: what is wrong", without Java class names. */
  static String schemaProblem(IllegalArgumentException e) {
    Throwable cause = e.getCause() instanceof JsonMappingException ? e.getCause() : e;
    if (!(cause instanceof JsonMappingException mapping)) return oneLine(e.getMessage());
    String path = path(mapping.getPath());
    if (mapping instanceof UnrecognizedPropertyException unknown) {
      Collection<Object> known = unknown.getKnownPropertyIds();
      return path
          + ": unknown field"
          + (known == null || known.isEmpty()
              ? ""
              : "; the fields here are "
                  + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
    }
    if (mapping instanceof InvalidFormatException format) {
      return path + ": '" + format.getValue() + "' is not " + expected(format.getTargetType());
    }
    if (mapping instanceof MismatchedInputException mismatch) {
      return path + ": expected " + expected(mismatch.getTargetType());
    }
    return path + ": " + oneLine(mapping.getOriginalMessage());
  }

  /** " at line L, column C" when the failure knows where it is, else "". */
  static String location(Exception e) {
    if (e instanceof JsonProcessingException j && j.getLocation() != null) {
      return " at line "
          + j.getLocation().getLineNr()
          + ", column "
          + j.getLocation().getColumnNr();
    }
    return "";
  }

  static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : references) {
      if (reference.getFieldName() != null) {
        if (path.length() > 0) path.append('.');
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "(document)" : path.toString();
  }

  private static String expected(Class<?> type) {
    if (type == null) return "a different kind of value";
    if (type == String.class) return "a string";
    if (type == Boolean.class || type == boolean.class) return "true or false";
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) return "a number";
    if (Collection.class.isAssignableFrom(type)) return "a list";
    if (type == Quantity.class) return "a quantity like 64Mi";
    return "a mapping (field: value)";
  }
}

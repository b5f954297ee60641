package dev.shoal.manager.folder;

import static dev.shoal.manager.folder.ParseProblemText.location;
import static dev.shoal.manager.folder.ParseProblemText.oneLine;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.shoal.manager.folder.FolderContents.ParsedFile;
import dev.shoal.manager.folder.FolderScan.FileContent;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Parses one file into its documents. A file that is not valid YAML keeps the documents of its last
 * version that was, so a half-saved edit never stops running pipelines.
 */
final class YamlFileParser {

  private static final YAMLMapper YAML = yamlMapper();

  private YamlFileParser() {}

  private static YAMLMapper yamlMapper() {
    YAMLMapper mapper = new YAMLMapper();
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return mapper;
  }

  /** The file's resources; {@code before} is its previous parse, or null for a new file. */
  static ParsedFile parse(
      String name, FileContent content, ParsedFile before, List<String> warnings) {
    List<JsonNode> documents;
    try (MappingIterator<JsonNode> it =
        YAML.readerFor(JsonNode.class).readValues(content.bytes())) {
      documents = it.readAll();
    } catch (IOException | RuntimeException e) {
      String problem =
          e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
      String location = location(e);
      if (before != null) {
        warnings.add(
            name
                + ": not valid YAML"
                + location
                + ": "
                + oneLine(problem)
                + "; keeping its previous content until it is fixed");
        return new ParsedFile(
            content.sha256(), true, before.pipelines(), before.schemaProblems(), before.secrets());
      }
      warnings.add(
          name
              + ": not valid YAML"
              + location
              + ": "
              + oneLine(problem)
              + "; nothing in it is read");
      return new ParsedFile(content.sha256(), true, List.of(), Map.of(), List.of());
    }
    ResourceDocuments resources = new ResourceDocuments(warnings);
    for (int i = 0; i < documents.size(); i++) {
      resources.read(documents.get(i), name + " document " + (i + 1));
    }
    return new ParsedFile(
        content.sha256(),
        false,
        resources.pipelines(),
        resources.schemaProblems(),
        resources.secrets());
  }
}

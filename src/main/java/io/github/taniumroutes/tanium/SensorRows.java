package io.github.taniumroutes.tanium;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One sensor's readings as records; {@code totalRows} is set only when rows were cut to the configured maximum. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SensorRows(List<Map<String, String>> rows, Integer totalRows) {
}

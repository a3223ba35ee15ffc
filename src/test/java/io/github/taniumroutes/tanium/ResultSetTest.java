package io.github.taniumroutes.tanium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Completion arithmetic and rows of Tanium's result sets, in the shapes seed 003 shows. */
class ResultSetTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Seed 003's own reply: 103 of 100 tested, one row. */
    private static final String SEED_REPLY = """
            {"data":{"now":"2021/07/21 15:48:38 GMT-0000","max_available_age":"","result_sets":[{"age":0,"id":6338700,
            "tested":103,"passed":96,"mr_tested":103,"mr_passed":103,"estimated_total":100,
            "columns":[{"hash":3409330187,"name":"Computer Name","type":1},{"hash":1792443391,"name":"Action Statuses","type":1},
                       {"hash":0,"name":"Count","type":3}],
            "row_count":1,
            "rows":[{"id":2786028277,"cid":2335789940,"data":[[{"text":"SomeComputerName"}],[{"text":"1362231:Completed."}],[{"text":"1"}]]}]}]}}
            """;

    @Test
    void overOneHundredPercentIsClampedTo100() {
        ResultSet set = ResultSet.parse(MAPPER, SEED_REPLY);
        assertThat(set.completionPercent()).isEqualTo(100);
        assertThat(set.reached(90)).isTrue();
        assertThat(set.mrTested()).isEqualTo(103);
    }

    @Test
    void anEstimatedTotalOfZeroIsNotYetKnownNeverADivision() {
        ResultSet set = ResultSet.parse(MAPPER, "{\"data\":{\"result_sets\":[{\"estimated_total\":0,\"mr_tested\":5}]}}");
        assertThat(set.completionPercent()).isNull();
        assertThat(set.reached(0)).isFalse();
    }

    @Test
    void completionRoundsDownSo89Point9IsNot90() {
        ResultSet set = ResultSet.parse(MAPPER, "{\"data\":{\"result_sets\":[{\"estimated_total\":1000,\"mr_tested\":899}]}}");
        assertThat(set.completionPercent()).isEqualTo(89);
        assertThat(set.reached(90)).isFalse();
        assertThat(ResultSet.parse(MAPPER, "{\"data\":{\"result_sets\":[{\"estimated_total\":1000,\"mr_tested\":900}]}}").reached(90)).isTrue();
    }

    @Test
    void rowsCarryTheComputerIdAndEveryValueOfEachCell() {
        ResultSet set = ResultSet.parse(MAPPER, SEED_REPLY);
        assertThat(set.columns()).containsExactly("Computer Name", "Action Statuses", "Count");
        assertThat(set.column("action statuses")).isEqualTo(1);
        assertThat(set.column("missing")).isEqualTo(-1);
        assertThat(set.rows()).singleElement().satisfies(row -> {
            assertThat(row.computerId()).isEqualTo("2335789940");
            assertThat(row.cell(1)).containsExactly("1362231:Completed.");
            assertThat(row.cell(7)).isEmpty();
        });
    }

    @Test
    void resultInfosCountersAsTextAndNoSetAtAllAreRead() {
        ResultSet info = ResultSet.parse(MAPPER, "{\"data\":{\"result_infos\":[{\"estimated_total\":\"10\",\"mr_tested\":\"9\",\"mr_passed\":1}]}}");
        assertThat(info.completionPercent()).isEqualTo(90);
        assertThat(info.mrPassed()).isEqualTo(1);
        ResultSet none = ResultSet.parse(MAPPER, "{\"data\":{}}");
        assertThat(none.completionPercent()).isNull();
        assertThat(none.rows()).isEmpty();
        assertThat(ResultSet.parse(MAPPER, "{\"result_sets\":[{\"estimated_total\":2,\"mr_tested\":2,\"rows\":[]}]}").completionPercent())
                .isEqualTo(100);
    }

    @Test
    void aReplyThatIsNotJsonIsAClearError() {
        assertThatThrownBy(() -> ResultSet.parse(MAPPER, "<html>")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> ResultSet.parse(MAPPER, "[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ResultSet.parse(MAPPER, "{\"data\":{\"result_sets\":[{\"rows\":[{\"data\":[[{\"text\":\"a\"},{\"text\":\"b\"}]]}]}]}}")
                .rows().get(0).cells()).isEqualTo(List.of(List.of("a", "b")));
    }
}

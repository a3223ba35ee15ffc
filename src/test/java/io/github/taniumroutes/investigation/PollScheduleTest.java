package io.github.taniumroutes.investigation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PollScheduleTest {

    @Test
    void startsShortAndGrowsToTheCap() {
        PollSchedule schedule = new PollSchedule(1000, 1.5, 30_000);

        assertThat(schedule.delayAfter(0)).isEqualTo(1000);
        assertThat(schedule.delayAfter(1)).isEqualTo(1500);
        assertThat(schedule.delayAfter(2)).isEqualTo(2250);
        assertThat(schedule.delayAfter(9)).isEqualTo(30_000);
        assertThat(schedule.delayAfter(1000)).isEqualTo(30_000);
    }

    @Test
    void tenMinutesOfWaitingCostsAFewDozenPollsNotHundreds() {
        PollSchedule schedule = new PollSchedule(1000, 1.5, 30_000);
        long waited = 0;
        int polls = 0;
        while (waited < 600_000) {
            waited += schedule.delayAfter(polls++);
        }
        assertThat(polls).isBetween(20, 40);
    }

    @Test
    void multiplierOneIsAFixedInterval() {
        assertThat(new PollSchedule(500, 1.0, 500).delayAfter(7)).isEqualTo(500);
    }

    @Test
    void refusesSchedulesThatMakeNoSense() {
        assertThatThrownBy(() -> new PollSchedule(1000, 1.5, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initial=1000");
        assertThatThrownBy(() -> new PollSchedule(1000, 0.5, 2000)).isInstanceOf(IllegalArgumentException.class);
    }
}

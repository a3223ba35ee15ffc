package io.github.taniumroutes.investigation;

/**
 * How long to wait before the next poll of something that is not ready yet: short at first, growing
 * by {@code multiplier} each time, never longer than {@code maxMs}. A connection that comes up in two
 * seconds is seen in about two seconds; one that takes ten minutes costs a few dozen polls, not six hundred.
 */
public record PollSchedule(long initialMs, double multiplier, long maxMs) {

    public PollSchedule {
        if (initialMs < 0 || maxMs < initialMs || multiplier < 1.0) {
            throw new IllegalArgumentException("poll schedule needs 0 <= initial <= max and multiplier >= 1, got initial="
                    + initialMs + " multiplier=" + multiplier + " max=" + maxMs);
        }
    }

    /** The wait before poll number {@code pollsSoFar + 1} of the same step. */
    public long delayAfter(int pollsSoFar) {
        double delay = initialMs * Math.pow(multiplier, Math.max(0, pollsSoFar));
        return (long) Math.min(maxMs, delay);
    }
}

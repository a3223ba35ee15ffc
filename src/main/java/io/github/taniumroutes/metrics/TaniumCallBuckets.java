package io.github.taniumroutes.metrics;

import java.time.Duration;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The latency histogram of Tanium calls ({@code tanium.calls}): a few fixed buckets
 * ({@code metrics.tanium-calls.buckets}, seconds) instead of Micrometer's percentile histogram,
 * whose ~70 buckets per server, operation and status would multiply the series for little more.
 */
public class TaniumCallBuckets {

    static final String TANIUM_CALLS = "tanium.calls";

    @Produces
    @Singleton
    public MeterFilter taniumCallBuckets(@ConfigProperty(name = "metrics.tanium-calls.buckets") List<Double> seconds) {
        return filter(seconds);
    }

    static MeterFilter filter(List<Double> seconds) {
        double[] nanos = seconds.stream().mapToDouble(s -> (double) Duration.ofMillis(Math.round(s * 1000)).toNanos()).sorted().toArray();
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!TANIUM_CALLS.equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder().percentilesHistogram(false).serviceLevelObjectives(nanos).build()
                        .merge(config);
            }
        };
    }
}

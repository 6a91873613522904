package io.berth.storage;

import io.berth.proto.internal.v1.KeyValue;
import java.util.List;

/**
 * The answer to {@link ReadView#range}.
 *
 * @param kvs   the keys found, in byte order (empty when only counting)
 * @param count how many keys are in the range in total, regardless of the limit
 * @param more  true when the limit cut the answer short
 */
public record RangeResult(List<KeyValue> kvs, long count, boolean more) {}

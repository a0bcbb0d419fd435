package io.ferry.mesos.recordio;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

/** Fails any single allocation above a cap, to prove a decoder never sizes a buffer by a claim. */
final class CappedAllocator extends AbstractByteBufAllocator {
  private final int cap;

  CappedAllocator(int cap) {
    super(false);
    this.cap = cap;
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    check(initialCapacity);
    return UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    check(initialCapacity);
    return UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }

  private void check(int initialCapacity) {
    if (initialCapacity > cap) {
      throw new AssertionError("allocation of " + initialCapacity + " bytes exceeds the cap of " + cap);
    }
  }
}

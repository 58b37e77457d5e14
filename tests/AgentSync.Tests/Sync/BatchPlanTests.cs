using AgentSync.Sync;

namespace AgentSync.Tests.Sync;

/// <summary>A push's batches start at a quarter of batch_size and double up to it, keeping every change once, in order.</summary>
public sealed class BatchPlanTests
{
    [Theory]
    [InlineData(500, 1000, new[] { 125, 250, 500, 125 })]
    [InlineData(500, 3000, new[] { 125, 250, 500, 500, 500, 500, 500, 125 })]
    [InlineData(500, 100, new[] { 100 })]
    [InlineData(3, 8, new[] { 1, 2, 3, 2 })]
    [InlineData(1, 3, new[] { 1, 1, 1 })]
    [InlineData(1000, 1000, new[] { 250, 500, 250 })]
    [InlineData(500, 0, new int[0])]
    public void Batches_start_small_and_double_up_to_the_batch_size(int batchSize, int count, int[] sizes)
    {
        var items = Enumerable.Range(0, count).ToList();

        var batches = new BatchPlan(batchSize).Split(items);

        Assert.Equal(sizes, batches.Select(b => b.Length));
        Assert.Equal(items, batches.SelectMany(b => b));
    }

    [Fact]
    public void A_second_split_goes_on_from_where_the_first_left_off()
    {
        // The push sends its first part while the rest is recorded, then splits the rest with the same plan.
        var plan = new BatchPlan(500);
        var first = plan.Split(Enumerable.Range(0, BatchPlan.First(500)).ToList());
        var rest = plan.Split(Enumerable.Range(125, 875).ToList());

        Assert.Equal([125], first.Select(b => b.Length));
        Assert.Equal([250, 500, 125], rest.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 1000), first.Concat(rest).SelectMany(b => b));
    }
}

using System.Text.Json;
using AgentSync.Artifacts;
using AgentSync.Diagnostics;
using AgentSync.Sync;

namespace AgentSync.Tests.Diagnostics;

/// <summary>What an operation records about itself, and what a record sent ahead of a commit reads.</summary>
public sealed class OperationTests
{
    [Fact]
    public async Task With_reads_as_the_operation_plus_the_report_and_leaves_the_operation_as_it_was()
    {
        // Its own flow: Operation.Begin sets the ambient operation of this test only.
        await Task.Run(() =>
        {
            var operation = Operation.Begin("pull");
            operation.Add(ArtifactKind.Story, "INFRA-001", 3, "pulled");
            operation.Count("pulled", 1);
            var report = new SyncReport { Queued = 2 };
            report.Pulled.Add(new SyncItem("INFRA-002", ArtifactKind.Plan, 7));

            var finished = operation.With(report);

            Assert.Equal(["INFRA-001", "INFRA-002"], finished.Artifacts.Select(a => a.Id));
            Assert.Equal((2L, 2L), (finished.Counts["pulled"], finished.Counts["queued"]));
            Assert.Equal(["INFRA-001"], operation.Artifacts.Select(a => a.Id));
            Assert.Equal(1L, operation.Counts["pulled"]);
            Assert.False(operation.Counts.ContainsKey("queued"));
            Assert.Equal(operation.StartedAt, finished.StartedAt);
            var details = JsonDocument.Parse(AuditTrail.Details(finished, "dev@example.com", null)).RootElement;
            Assert.Equal(2, details.GetProperty("artifacts").GetArrayLength());
        });
    }
}

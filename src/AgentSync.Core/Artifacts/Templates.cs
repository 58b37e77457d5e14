namespace AgentSync.Artifacts;

/// <summary>The text of a new artifact, shaped like the stories, plans and runbooks teams already write.</summary>
public static class Templates
{
    public static string Story(string id, string title) => $"""
        # {id}: {title}

        ## State

        DRAFT

        ## Problem Statement

        What problem are we solving?

        ## User Story

        As a <user>, I want <capability> so that <value>.

        ## Acceptance Criteria

        - [ ] Scenario 1: Given <context>, when <action>, then <result>.

        ## Non-Functional Requirements

        - Performance, security, compliance, observability.

        ## Linked ADRs

        - None

        ## Linked Journeys

        - None

        ## Impact Analysis Summary

        Components touched:
        Workflows affected:
        Risks identified:

        ## Test Strategy

        How will we verify correctness?

        ## Rollback Plan

        How do we revert safely?

        """;

    public static string Plan(string id, string title) => $"""
        # {id}: {title}

        ## State

        DRAFT

        ## Summary

        What this plan delivers and why.

        ## Objectives

        - Objective 1

        ## Child Stories

        - [ ] {id}.1: First story

        ## Milestones

        - M1:

        ## Risks & Mitigations

        - Risk: ... Mitigation: ...

        ## Verification

        How we know the plan is done.

        """;

    public static string Runbook(string id, string storyTitle) => $"""
        # {id}: {storyTitle} (Runbook)

        ## State

        DRAFT

        ## Goal Description

        Implements story {id}: {storyTitle}.

        ## Implementation Steps

        - [ ] Step 1

        ## Verification Plan

        ### Automated Tests

        - [ ] Test 1

        ### Manual Verification

        - [ ] Check 1

        ## Definition of Done

        - [ ] Documentation updated
        - [ ] Tests pass

        """;
}

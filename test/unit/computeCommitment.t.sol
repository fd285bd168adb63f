// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Authorship } from "../utils/Base.t.sol";

contract ComputeCommitment_Unit_Test is Base {
    Authorship.Registration internal registration;

    function setUp() public override {
        super.setUp();
        registration = _registration(HASH);
        registration.parents.push(OTHER_HASH);
    }

    function test_ComputeCommitment_MatchesIndependentFormula() external view {
        assertEq(registry.computeCommitment(registration, alice, SALT), _commitment(registration, alice, SALT));
    }

    /// @dev Whoever reads a pending reveal (salt included) can only submit the very registration it commits to:
    /// changing any one field, the author or the salt gives another commitment.
    function test_ComputeCommitment_BindsEveryField() external view {
        bytes32 original = registry.computeCommitment(registration, alice, SALT);
        Authorship.Registration memory other;

        other = _copy();
        other.contributionId = keccak256("another hash");
        assertNotEq(registry.computeCommitment(other, alice, SALT), original, "contributionId");

        other = _copy();
        other.kind = uint8(Authorship.Kind.Dataset);
        assertNotEq(registry.computeCommitment(other, alice, SALT), original, "kind");

        other = _copy();
        other.trainingConsent = false;
        assertNotEq(registry.computeCommitment(other, alice, SALT), original, "trainingConsent");

        other = _copy();
        other.parents = new bytes32[](0);
        assertNotEq(registry.computeCommitment(other, alice, SALT), original, "parents");

        other = _copy();
        other.uri = "ipfs://spam";
        assertNotEq(registry.computeCommitment(other, alice, SALT), original, "uri");

        assertNotEq(registry.computeCommitment(registration, eve, SALT), original, "author");
        assertNotEq(registry.computeCommitment(registration, alice, keccak256("other salt")), original, "salt");
    }

    /// @dev The parents are bound in order, as the event lists them.
    function test_ComputeCommitment_ParentsOrderMatters() external view {
        Authorship.Registration memory other = _copy();
        other.parents = new bytes32[](2);
        other.parents[0] = OTHER_HASH;
        other.parents[1] = HASH;
        Authorship.Registration memory swapped = _copy();
        swapped.parents = new bytes32[](2);
        swapped.parents[0] = HASH;
        swapped.parents[1] = OTHER_HASH;
        assertNotEq(registry.computeCommitment(other, alice, SALT), registry.computeCommitment(swapped, alice, SALT));
    }

    function _copy() internal view returns (Authorship.Registration memory copy) {
        copy = registration;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, Authorship, IAuthorshipRegistry } from "../utils/Base.t.sol";

contract RegisterContribution_Unit_Test is Base {
    function test_RevertWhen_HashIsZero() external {
        vm.expectRevert(Errors.AuthorshipRegistry_ZeroHash.selector);
        vm.prank(alice);
        registry.registerContribution(_registration(bytes32(0)));
        _assertUnregistered(bytes32(0));
    }

    function test_RevertWhen_AlreadyRegistered() external {
        _registerAs(bob, HASH);
        bytes32 before = _recordWord(HASH);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_AlreadyRegistered.selector, HASH, bob));
        vm.prank(alice);
        registry.registerContribution(_registration(HASH));
        assertEq(_recordWord(HASH), before);
    }

    function test_RevertWhen_ParentIsMissing() external {
        _registerAs(bob, OTHER_HASH);
        Authorship.Registration memory registration = _registration(HASH);
        registration.parents = new bytes32[](2);
        registration.parents[0] = OTHER_HASH;
        registration.parents[1] = keccak256("never registered");
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_UnknownParent.selector,
                HASH,
                keccak256("never registered")
            )
        );
        vm.prank(alice);
        registry.registerContribution(registration);
        _assertUnregistered(HASH);
    }

    function test_RevertWhen_ParentIsItself() external {
        Authorship.Registration memory registration = _registration(HASH);
        registration.parents = new bytes32[](1);
        registration.parents[0] = HASH;
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_UnknownParent.selector, HASH, HASH));
        vm.prank(alice);
        registry.registerContribution(registration);
        _assertUnregistered(HASH);
    }

    function test_RegisterContribution_WithParents() external {
        _registerAs(bob, OTHER_HASH);
        Authorship.Registration memory registration = _registration(HASH);
        registration.kind = uint8(Authorship.Kind.ModelOutput);
        registration.trainingConsent = false;
        registration.parents = new bytes32[](1);
        registration.parents[0] = OTHER_HASH;

        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.ContributionRegistered(
            HASH,
            alice,
            Authorship.Kind.ModelOutput,
            uint40(START),
            false,
            URI
        );
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.ContributionDerived(HASH, registration.parents);
        vm.prank(alice);
        registry.registerContribution(registration);
        _assertRecord(HASH, alice, START, Authorship.Kind.ModelOutput, false);
    }

    function test_RegisterContribution_WithoutParentsEmitsOneEvent() external {
        vm.recordLogs();
        vm.prank(alice);
        registry.registerContribution(_registration(HASH));
        assertEq(vm.getRecordedLogs().length, 1);
        _assertRecord(HASH, alice, START, Authorship.Kind.Prompt, true);
    }

    function test_RevertWhen_KindInvalid() external {
        Authorship.Registration memory registration = _registration(HASH);
        registration.kind = INVALID_KIND;
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidKind.selector, INVALID_KIND));
        vm.prank(alice);
        registry.registerContribution(registration);
        _assertUnregistered(HASH);
    }
}

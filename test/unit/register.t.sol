// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, Authorship, IAuthorshipRegistry } from "../utils/Base.t.sol";

contract Register_Unit_Test is Base {
    function test_RevertWhen_HashIsZero() external {
        vm.expectRevert(Errors.AuthorshipRegistry_ZeroHash.selector);
        vm.prank(alice);
        registry.register(bytes32(0), uint8(Authorship.Kind.Prompt), URI);
        _assertUnregistered(bytes32(0));
    }

    function test_RevertWhen_AlreadyRegisteredBySameAuthor() external {
        _registerAs(alice, HASH);
        bytes32 before = _recordWord(HASH);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_AlreadyRegistered.selector, HASH, alice));
        vm.prank(alice);
        registry.register(HASH, uint8(Authorship.Kind.Dataset), URI);
        assertEq(_recordWord(HASH), before);
    }

    function test_RevertWhen_AlreadyRegisteredByOtherAuthor() external {
        _registerAs(alice, HASH);
        bytes32 before = _recordWord(HASH);
        vm.warp(START + 1 days);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_AlreadyRegistered.selector, HASH, alice));
        vm.prank(bob);
        registry.register(HASH, uint8(Authorship.Kind.Prompt), URI);
        assertEq(_recordWord(HASH), before);
    }

    function test_Register() external {
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.ContributionRegistered(
            HASH,
            alice,
            Authorship.Kind.Correction,
            uint40(START),
            true,
            URI
        );
        vm.prank(alice);
        registry.register(HASH, uint8(Authorship.Kind.Correction), URI);
        _assertRecord(HASH, alice, START, Authorship.Kind.Correction, true);
        assertEq(registry.getRecord(HASH).nonce, 0);
    }

    function test_Register_EmptyUri() external {
        vm.recordLogs();
        vm.prank(alice);
        registry.register(HASH, uint8(Authorship.Kind.Other), "");
        assertEq(vm.getRecordedLogs().length, 1, "one event, no ContributionDerived");
        _assertRecord(HASH, alice, START, Authorship.Kind.Other, true);
    }

    function test_RevertWhen_KindInvalid() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidKind.selector, INVALID_KIND));
        vm.prank(alice);
        registry.register(HASH, INVALID_KIND, URI);
        _assertUnregistered(HASH);
    }

    function test_RevertWhen_KindIsTheLargestByte() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_InvalidKind.selector, type(uint8).max));
        vm.prank(alice);
        registry.register(HASH, type(uint8).max, URI);
        _assertUnregistered(HASH);
    }

    function test_Register_LastKind() external {
        vm.prank(alice);
        registry.register(HASH, uint8(type(Authorship.Kind).max), URI);
        _assertRecord(HASH, alice, START, type(Authorship.Kind).max, true);
    }
}

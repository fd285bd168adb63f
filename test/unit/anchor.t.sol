// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, IAuthorshipRegistry } from "../utils/Base.t.sol";

contract Anchor_Unit_Test is Base {
    bytes32 internal constant ROOT = keccak256("root");

    function test_RevertWhen_CallerNotAttester() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_NotAttester.selector, eve));
        vm.prank(eve);
        registry.anchor(ROOT, URI);
        assertEq(registry.anchorOf(ROOT).attester, address(0));
    }

    function test_RevertWhen_AttesterRevoked() external {
        vm.prank(owner);
        registry.setAttester(attester, false);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_NotAttester.selector, attester));
        vm.prank(attester);
        registry.anchor(ROOT, URI);
        assertEq(registry.anchorOf(ROOT).attester, address(0));
    }

    function test_RevertWhen_RootIsZero() external {
        vm.expectRevert(Errors.AuthorshipRegistry_ZeroRoot.selector);
        vm.prank(attester);
        registry.anchor(bytes32(0), URI);
        assertEq(registry.anchorOf(bytes32(0)).attester, address(0));
    }

    function test_RevertWhen_RootAlreadyAnchored() external {
        vm.prank(attester);
        registry.anchor(ROOT, URI);
        vm.prank(owner);
        registry.setAttester(bob, true);
        vm.warp(START + 1 days);
        vm.expectRevert(
            abi.encodeWithSelector(
                Errors.AuthorshipRegistry_RootAlreadyAnchored.selector,
                ROOT,
                attester,
                uint40(START)
            )
        );
        vm.prank(bob);
        registry.anchor(ROOT, URI);
        assertEq(registry.anchorOf(ROOT).attester, attester);
        assertEq(registry.anchorOf(ROOT).anchoredAt, START);
    }

    function test_Anchor() external {
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.RootAnchored(ROOT, attester, uint40(START), URI);
        vm.prank(attester);
        registry.anchor(ROOT, URI);
        assertEq(registry.anchorOf(ROOT).attester, attester);
        assertEq(registry.anchorOf(ROOT).anchoredAt, START);
    }
}

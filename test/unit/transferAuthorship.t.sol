// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, IAuthorshipRegistry } from "../utils/Base.t.sol";

contract TransferAuthorship_Unit_Test is Base {
    function setUp() public override {
        super.setUp();
        _registerAs(alice, HASH);
    }

    function test_RevertWhen_NotRegistered() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_NotRegistered.selector, OTHER_HASH));
        vm.prank(alice);
        registry.transferAuthorship(OTHER_HASH, bob);
        assertEq(registry.pendingAuthorOf(OTHER_HASH), address(0));
    }

    function test_RevertWhen_CallerNotAuthor() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_NotAuthor.selector, HASH, eve, alice));
        vm.prank(eve);
        registry.transferAuthorship(HASH, eve);
        assertEq(registry.pendingAuthorOf(HASH), address(0));
        assertEq(registry.authorOf(HASH), alice);
    }

    function test_RevertWhen_NewAuthorIsAuthor() external {
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_TransferToAuthor.selector, HASH, alice));
        vm.prank(alice);
        registry.transferAuthorship(HASH, alice);
        assertEq(registry.pendingAuthorOf(HASH), address(0));
    }

    function test_TransferAuthorship_StartsOnly() external {
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.AuthorshipTransferStarted(HASH, alice, bob);
        vm.prank(alice);
        registry.transferAuthorship(HASH, bob);
        assertEq(registry.pendingAuthorOf(HASH), bob);
        assertEq(registry.authorOf(HASH), alice, "author unchanged until accepted");
    }

    function test_TransferAuthorship_ZeroCancels() external {
        vm.prank(alice);
        registry.transferAuthorship(HASH, bob);
        vm.expectEmit(address(registry));
        emit IAuthorshipRegistry.AuthorshipTransferStarted(HASH, alice, address(0));
        vm.prank(alice);
        registry.transferAuthorship(HASH, address(0));
        assertEq(registry.pendingAuthorOf(HASH), address(0));
    }
}
